/**
 * The `nordfil` command: argument parsing, dispatch to the commands, and errors turned into one clear line and
 * an exit code (0 success, 1 failure or invalid input, 2 usage error). Testable: it writes only to the streams
 * it is given and never calls `process.exit`.
 */
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { describeError, ExitCode, exitCodeOf, usageError } from './errors.js';
import { type CliIo, createOutput, type Output } from './output.js';

/** The CLI's version (the package's). */
export const VERSION: string = pkg.version;

interface GlobalOptions {
  readonly quiet?: boolean;
  readonly debug?: boolean;
  readonly color?: boolean;
}

/**
 * Runs the `nordfil` command with `argv` (without `node` and the script: `process.argv.slice(2)`), writing to
 * the given streams; resolves the exit code. Never throws: an error becomes one line on standard error (and its
 * issues, one per line), with the stack trace only under `--debug`.
 *
 * @example
 * const code = await main(['validate', 'BGMAX.txt'], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 * process.exitCode = code;
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let debug = argv.includes('--debug');
  let quiet = argv.includes('--quiet') || argv.includes('-q');
  let colorIo: CliIo = io;
  const outputFor = (cmd: Command): Output => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    debug = g.debug === true;
    quiet = g.quiet === true;
    colorIo = g.color === false ? { ...io, env: { ...io.env, NO_COLOR: '1', FORCE_COLOR: undefined } } : io;
    return createOutput(colorIo, { quiet });
  };
  const run =
    (fn: (out: Output, ...args: never[]) => Promise<number>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      exitCode = await (fn as (out: Output, ...a: unknown[]) => Promise<number>)(outputFor(cmd), ...args.slice(0, -1));
    };

  const program = new Command('nordfil')
    .description('Nordic file integrations: bank payment files, SPAR, debt collection')
    .version(VERSION, '-V, --version')
    .option('-q, --quiet', 'print only results and errors')
    .option('--debug', 'show stack traces')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.endsWith('\n') ? s : `${s}\n`),
    });

  program
    .command('inspect')
    .description('detect the format of a file (BGMax, Total-IN, OCR giro, SPAR XML, collection files) and summarise it')
    .argument('<file>', 'the file')
    .option('--json', 'print the parsed objects as JSON')
    .option('--strict', 'strict parsing (default: lenient, every problem listed)')
    .action(
      run(async (out: Output, file: string, opts: { json?: boolean; strict?: boolean }) => {
        const { inspectCommand } = await import('./commands/inspect.js');
        return inspectCommand(out, file, opts);
      }),
    );

  program
    .command('validate')
    .description('check files and list every issue; exit 0 when all are valid, 1 otherwise')
    .argument('<files...>', 'the files')
    .option('--json', 'print the result as JSON')
    .option('--warnings-as-errors', 'count warnings as failures')
    .action(
      run(async (out: Output, files: string[], opts: { json?: boolean; warningsAsErrors?: boolean }) => {
        const { validateCommand } = await import('./commands/validate.js');
        return validateCommand(out, files, opts);
      }),
    );

  program
    .command('reconcile')
    .description('match the payments of a BGMax, Total-IN or OCR giro file against open invoices')
    .argument('<file>', 'the payment file')
    .requiredOption(
      '--invoices <file>',
      'open invoices: .csv (invoice,reference,amount,currency,customer,due) or .json',
    )
    .option('--tolerance <amount>', 'accept payments this much below or above the amount due (e.g. 5.00)')
    .option('-o, --output <file>', 'write the decisions to this file (.csv or .json)')
    .option('--json', 'print the decisions as JSON')
    .action(
      run(
        async (
          out: Output,
          file: string,
          opts: { invoices: string; tolerance?: string; output?: string; json?: boolean },
        ) => {
          const { reconcileCommand } = await import('./commands/reconcile.js');
          return reconcileCommand(out, file, opts);
        },
      ),
    );

  const spar = program.command('spar').description('SPAR (the Swedish population register) jobs');
  for (const job of ['export', 'import'] as const) {
    const c = spar
      .command(job)
      .description(
        job === 'export'
          ? 'send the queued borrowers’ numbers to SPAR (the nightly export)'
          : 'import SPAR’s update files into the borrowers (each file once)',
      )
      .requiredOption('-c, --config <file>', 'configuration file (JSON)')
      .option('--json', 'print the batch as JSON');
    if (job === 'import') c.option('--dry-run', 'decide and report, change nothing');
    c.action(
      run(async (out: Output, opts: { config: string; json?: boolean; dryRun?: boolean }) => {
        const { sparCommand } = await import('./commands/spar.js');
        return sparCommand(out, job, opts);
      }),
    );
  }

  const lindorff = program.command('lindorff').description('debt collection (Lindorff / Intrum) jobs');
  lindorff
    .command('export')
    .description('queue an LS file with the collection-list group due by a date and send it')
    .requiredOption('-c, --config <file>', 'configuration file (JSON)')
    .option('--due-by <date>', 'collection date up to which cases are sent (default: today)')
    .option('--json', 'print the report as JSON')
    .action(
      run(async (out: Output, opts: { config: string; dueBy?: string; json?: boolean }) => {
        const { lindorffCommand } = await import('./commands/lindorff.js');
        return lindorffCommand(out, 'export', opts);
      }),
    );
  lindorff
    .command('exchange')
    .description('send queued files and import the agency’s receipts and settlements (each file once)')
    .requiredOption('-c, --config <file>', 'configuration file (JSON)')
    .option('--json', 'print the report as JSON')
    .action(
      run(async (out: Output, opts: { config: string; json?: boolean }) => {
        const { lindorffCommand } = await import('./commands/lindorff.js');
        return lindorffCommand(out, 'exchange', opts);
      }),
    );

  program
    .command('demo')
    .description('run every job end to end on local folders with generated data (run it twice!)')
    .option('--dir <folder>', 'working folder', '.nordfil-demo')
    .option('--reset', 'delete the working folder first and start over')
    .addOption(new Option('--seed <n>', 'seed of the generated data').default('2026').hideHelp())
    .action(
      run(async (out: Output, opts: { dir: string; reset?: boolean; seed: string }) => {
        const { demoCommand } = await import('./commands/demo.js');
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed)) throw usageError('--seed must be an integer');
        return demoCommand(out, { dir: opts.dir, reset: opts.reset === true, seed });
      }),
    );

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; everything else commander reports (already printed) is a usage error
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return ExitCode.ok;
      return ExitCode.usage;
    }
    const err = createOutput(colorIo, { quiet });
    const lines = describeError(e);
    err.warn(err.ce.red(`nordfil: ${lines[0]}`));
    for (const l of lines.slice(1)) err.warn(l);
    if (debug && e instanceof Error && e.stack) err.warn(err.ce.dim(e.stack));
    return exitCodeOf(e);
  }
}
