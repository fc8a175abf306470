/**
 * `nordfil lindorff export` and `nordfil lindorff exchange`: the collection jobs of `@nordfil/lindorff`, run
 * through the adapters a configuration file names. `export` queues an LS file with the collection-list groups due
 * by a date and runs the exchange; `exchange` sends what is queued and imports the agency's receipts and
 * settlements, each file once.
 */
import type { IsoDate } from '@nordfil/core';
import { systemClock, todayIn } from '@nordfil/ports';
import { loadConfig, openPorts, requireSection } from '../config.js';
import { ExitCode, loadPackage, usageError } from '../errors.js';
import { type Output, printingLog } from '../output.js';

/**
 * Options of the Lindorff commands.
 *
 * @example
 * await lindorffCommand(out, 'exchange', { config: 'nordfil.json' });
 */
export interface LindorffCommandOptions {
  readonly config: string;
  readonly dueBy?: string;
  readonly json?: boolean;
}

/**
 * Runs `lindorff export` or `lindorff exchange`; exit code 1 when a received file was rejected.
 *
 * @example
 * const code = await lindorffCommand(out, 'export', { config: 'nordfil.json', dueBy: '2026-11-23' });
 */
export async function lindorffCommand(
  out: Output,
  job: 'export' | 'exchange',
  options: LindorffCommandOptions,
): Promise<number> {
  if (options.dueBy !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.dueBy)) {
    throw usageError(`--due-by must be a date (YYYY-MM-DD), not "${options.dueBy}"`);
  }
  const m = await loadPackage('@nordfil/lindorff', () => import('@nordfil/lindorff'), `nordfil lindorff ${job}`);
  const loaded = await loadConfig(options.config, out.io);
  const section = requireSection(loaded, 'lindorff');
  const { definition, notes } = m.parseExportDefinition(section.definition, {
    source: `${loaded.source} lindorff.definition`,
  });
  const log = printingLog(out, options.json ? -1 : (loaded.config.logThreshold ?? 18));
  for (const n of notes) out.warn(`${n.field ?? ''}: ${n.message}`);
  const ports = openPorts(loaded, log);
  try {
    const clock = systemClock();
    const ctx = {
      transport: await ports.transport(section.transport),
      storage: await ports.storage(),
      clock,
      log,
      definition,
      ...(section.creditorOrgNo === undefined ? {} : { creditorOrgNo: section.creditorOrgNo }),
    };
    let queued: string | undefined;
    if (job === 'export') {
      const entry = await m.queueExport(ctx, { dueBy: (options.dueBy ?? todayIn(clock, 'Europe/Oslo')) as IsoDate });
      queued = entry?.name;
    }
    const report = await m.runExchange(ctx, section.autoExport === undefined ? {} : { autoExport: section.autoExport });
    if (options.json) out.line(JSON.stringify({ queued: queued ?? null, ...report }, null, 2));
    else {
      if (job === 'export') out.line(queued === undefined ? 'No cases due: no LS file made' : `Queued ${queued}`);
      out.line(`Sent: ${report.sent.length === 0 ? 'nothing' : report.sent.join(', ')}`);
      out.line(
        `Received: ${report.received.length === 0 ? 'nothing new' : report.received.map((r) => `${r.name} (${r.outcome}, ${r.records} records)`).join(', ')}`,
      );
    }
    return report.received.some((r) => r.outcome === 'rejected') ? ExitCode.failure : ExitCode.ok;
  } finally {
    await ports.close();
  }
}
