/**
 * `nordfil spar export` and `nordfil spar import`: the SPAR jobs of `@nordfil/spar`, run through the adapters a
 * configuration file names. Borrowers are kept in the configured storage ({@link storageBorrowerRepository}).
 */
import { systemClock } from '@nordfil/ports';
import { storageBorrowerRepository } from '../borrowers.js';
import { loadConfig, openPorts, requireSection } from '../config.js';
import { ExitCode } from '../errors.js';
import { type Output, printingLog, table } from '../output.js';

/**
 * Options of the SPAR commands.
 *
 * @example
 * await sparCommand(out, 'import', { config: 'nordfil.json', dryRun: true });
 */
export interface SparCommandOptions {
  readonly config: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/**
 * Runs the SPAR export or import from a configuration file; returns the exit code (1 when the batch status is
 * `?`: something went wrong or needs a look).
 *
 * @example
 * const code = await sparCommand(out, 'export', { config: 'nordfil.json' });
 */
export async function sparCommand(out: Output, job: 'export' | 'import', options: SparCommandOptions): Promise<number> {
  const loaded = await loadConfig(options.config, out.io);
  const spar = requireSection(loaded, 'spar');
  const log = printingLog(out, options.json ? -1 : (loaded.config.logThreshold ?? 18));
  const ports = openPorts(loaded, log);
  const { runSparExport, runSparImport } = await import('@nordfil/spar');
  try {
    const storage = await ports.storage();
    const transport = await ports.transport(spar.transport);
    const clock = systemClock();
    const common = {
      ...(spar.logPersonalIds === undefined ? {} : { logPersonalIds: spar.logPersonalIds }),
      ...(spar.timeZone === undefined ? {} : { timeZone: spar.timeZone }),
    };
    if (job === 'export') {
      const { batch, sent } = await runSparExport({
        transport,
        storage,
        clock,
        log,
        config: { customerNumber: spar.customerNumber, format: spar.format, folder: spar.outbox, ...common },
      });
      if (options.json) out.line(JSON.stringify({ batch, sent }, null, 2));
      else {
        out.line(`SPAR export: status ${batch.status}, ${sent.length} file(s) sent`);
        for (const s of sent) out.line(`  ${s.file}: ${s.pins.length} number(s)${s.resent ? ' (re-sent)' : ''}`);
      }
      return batch.status === 'OK' ? ExitCode.ok : ExitCode.failure;
    }
    const borrowers = storageBorrowerRepository(storage);
    const { batch, files, decisions } = await runSparImport({
      transport,
      storage,
      clock,
      log,
      borrowers,
      config: {
        account: spar.account,
        folder: spar.inbox,
        ...common,
        ...(spar.strictness === undefined ? {} : { strictness: spar.strictness }),
      },
      ...(options.dryRun ? { dryRun: true } : {}),
    });
    if (options.json) {
      out.line(
        JSON.stringify(
          { batch, files, decisions: decisions.map((d) => ({ rule: d.rule, changed: d.changed, actions: d.actions })) },
          null,
          2,
        ),
      );
    } else {
      out.line(`SPAR import${options.dryRun ? ' (dry run: nothing changed)' : ''}: status ${batch.status}`);
      out.line(
        table([['file', 'status', 'persons'], ...files.map((f) => [f.name, f.status, String(f.persons)])], '  '),
      );
      const byRule = new Map<string, number>();
      for (const d of decisions) byRule.set(d.rule, (byRule.get(d.rule) ?? 0) + 1);
      if (byRule.size > 0) out.line(table([['rule', 'persons'], ...[...byRule].map(([r, n]) => [r, String(n)])], '  '));
    }
    return batch.status === 'OK' ? ExitCode.ok : ExitCode.failure;
  } finally {
    await ports.close();
  }
}
