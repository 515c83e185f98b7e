/**
 * `quota-herald <command>`: parses arguments, runs one command, and turns
 * failures into exit codes and messages staff can act on (a stack trace only
 * with --debug). Exit codes: 0 ok, 1 problems found, 2 usage error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import dotenv from 'dotenv';
import { systemClock, type Clock } from '../clock';
import { AppError, formatProblem } from '../errors';
import { parsePositiveInt, parseTimeArgument } from './arguments';
import { resolveContext, write, type CliContext, type GlobalOptions } from './context';

export interface CliIo {
  clock?: Clock;
  env?: Record<string, string | undefined>;
  stdout?: CliContext['stdout'];
  stderr?: NodeJS.WritableStream;
  /** Where `user add` reads the password (default process.stdin). */
  stdin?: import('./password-input').PasswordStdin;
  cwd?: string;
}

// Each command's module loads when that command runs (`await import` below): `preview`
// never pays for the database drivers, platform clients and mailer that `run` needs.
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? loadEnv(cwd);
  const stdout = io.stdout ?? process.stdout;
  // `quota-herald simulate | head`: the reader went away, so there is no one left to tell.
  // Stop quietly, as Unix tools do, instead of an unhandled EPIPE with a stack trace.
  if (!io.stdout) process.stdout.on('error', exitQuietlyOnClosedPipe);
  const stderr = io.stderr ?? process.stderr;
  const clock = io.clock ?? systemClock;
  let exitCode = 0;
  let debug = argv.includes('--debug');

  const program = new Command('quota-herald')
    .description('Announces quota openings on social media before each window opens.')
    .option('--config <dir>', 'config directory (env HERALD_CONFIG_DIR)', undefined)
    .option('--data <dir>', 'data directory: SQLite ledger, rendered media, outbox (env HERALD_DATA_DIR)', undefined)
    .option('--templates <dir>', 'templates directory (default: next to the config)')
    .option('--debug', 'show stack traces and debug logs')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  const context = (): CliContext => {
    const options = program.opts<GlobalOptions>();
    debug = options.debug ?? false;
    return resolveContext(options, { clock, env, stdout, stderr, cwd });
  };
  const timeHelp = 'ISO 8601; without an offset, read in the office time zone';
  const officeHelp = 'only this office (config/offices/ID); default: every office';

  program
    .command('check')
    .description('validate config, calendar and templates; render and check every post of the next N days')
    .addOption(new Option('--days <n>', 'days ahead to check').default('35').argParser(parsePositiveInt))
    .option('--online', 'also verify every account with its platform (never posts), token expiry and the public image address')
    .option('--office <id>', officeHelp)
    .action(async (options: { days: number | string; online?: boolean; office?: string }) => {
      exitCode = await (await import('./check-command')).checkCommand(context(), {
        days: Number(options.days),
        ...(options.online ? { online: true } : {}),
        ...(options.office === undefined ? {} : { office: options.office }),
      });
    });
  program
    .command('plan')
    .description('list planned posts: id, due time, deadline, channel, rule, release')
    .option('--from <T>', timeHelp, parseTimeArgument)
    .option('--to <T>', timeHelp, parseTimeArgument)
    .option('--json', 'machine-readable output')
    .option('--office <id>', officeHelp)
    .action(async (options: { from?: string; to?: string; json?: boolean; office?: string }) => {
      exitCode = await (await import('./plan-command')).planCommand(context(), options);
    });
  program
    .command('preview')
    .description("write each planned post's caption, card and alt text to a directory (with index.html)")
    .option('--from <T>', timeHelp, parseTimeArgument)
    .option('--to <T>', timeHelp, parseTimeArgument)
    .option('--out <dir>', 'output directory (one folder per office when there are several)', 'preview')
    .option('--office <id>', officeHelp)
    .action(async (options: { from?: string; to?: string; out: string; office?: string }) => {
      exitCode = await (await import('./preview-command')).previewCommand(context(), { ...options, out: path.resolve(cwd, options.out) });
    });
  program
    .command('simulate')
    .description('run the real scheduler on a virtual clock over a range, every channel replaced by the outbox')
    .requiredOption('--from <T>', timeHelp, parseTimeArgument)
    .requiredOption('--to <T>', timeHelp, parseTimeArgument)
    .option('--out <dir>', 'output directory for outbox.jsonl and media', 'simulation')
    .option('--json', 'machine-readable summary')
    .option('--office <id>', officeHelp)
    .action(async (options: { from: string; to: string; out: string; json?: boolean; office?: string }) => {
      exitCode = await (await import('./simulate-command')).simulateCommand(context(), { ...options, out: path.resolve(cwd, options.out) });
    });
  program
    .command('run')
    .description('the long-running bot (until SIGINT/SIGTERM)')
    .option('--no-web', 'no web server in this process: `serve` answers the console, public pages and health checks (heavy public load)')
    .action(async (options: { web: boolean }) => {
      exitCode = await (await import('./run-command')).runCommand(context(), { web: options.web });
    });
  program
    .command('serve')
    .description('the web server only (staff console, health checks), no publishing; until SIGINT/SIGTERM')
    .action(async () => {
      exitCode = await (await import('./serve-command')).serveCommand(context());
    });
  const userCommands = program.command('user').description('console users');
  userCommands
    .command('add <name>')
    .description('create a console user; the password is asked for (no echo), or read as one line from stdin')
    .requiredOption('--role <role>', 'admin, editor, approver or viewer')
    .option('--office <id>', 'the office of the role; an admin without --office is an admin of every office')
    .action(async (name: string, options: { role: string; office?: string }) => {
      exitCode = await (await import('./user-command')).userAddCommand(context(), name, options, io.stdin ?? process.stdin);
    });
  program
    .command('status')
    .description('upcoming posts, recent results, failures and config errors, from the ledger')
    .option('--json', 'machine-readable output')
    .option('--office <id>', officeHelp)
    .action(async (options: { json?: boolean; office?: string }) => {
      exitCode = await (await import('./status-command')).statusCommand(context(), options);
    });
  // --max-age 5: the SQLite loop marks itself alive every minute (PostgreSQL instances beat every 5 s);
  // five minutes leave room for a tick that waits on a slow platform (Instagram's container checks).
  program
    .command('health')
    .description("exit 0 when this machine's running bot is alive (container health checks), 1 otherwise")
    .addOption(new Option('--max-age <minutes>', 'oldest liveness mark (SQLite) or heartbeat (PostgreSQL) still healthy').default('5').argParser(parsePositiveInt))
    .option('--any', 'PostgreSQL: healthy when any instance of the deployment is alive, not only one on this host')
    .action(async (options: { maxAge: number | string; any?: boolean }) => {
      exitCode = await (await import('./health-command')).healthCommand(context(), { maxAgeMinutes: Number(options.maxAge), ...(options.any ? { any: true } : {}) });
    });
  const configCommands = program.command('config').description('config revisions in the store: log, show, diff, revert, export, import');
  const revisions = async (): Promise<typeof import('./config-command')> => import('./config-command');
  configCommands
    .command('log')
    .description('revisions, newest first: id, time (office zone), author, valid or not; * marks the current one')
    .option('--office <id>', 'only this office')
    .addOption(new Option('--limit <n>', 'how many').default('30').argParser(parsePositiveInt))
    .action(async (options: { office?: string; limit: number | string }) => {
      exitCode = await (await revisions()).configLogCommand(context(), { ...(options.office === undefined ? {} : { office: options.office }), limit: Number(options.limit) });
    });
  configCommands
    .command('show <rev>')
    .description("a revision's details, problems and files")
    .action(async (rev: string) => {
      exitCode = await (await revisions()).configShowCommand(context(), rev);
    });
  configCommands
    .command('diff <a> <b>')
    .description('unified diff, file by file, from revision A to revision B')
    .action(async (a: string, b: string) => {
      exitCode = await (await revisions()).configDiffCommand(context(), a, b);
    });
  configCommands
    .command('revert <rev>')
    .description("a new revision with REV's files (checked again); current when valid")
    .option('--author <name>', 'who reverts (default: cli)')
    .option('--message <text>', 'why')
    .action(async (rev: string, options: { author?: string; message?: string }) => {
      exitCode = await (await revisions()).configRevertCommand(context(), rev, options);
    });
  configCommands
    .command('export <dir>')
    .description("write the current revision's files to DIR (it loads with `check --config DIR`)")
    .option('--office <id>', 'only this office (default: every office with a current revision)')
    .action(async (dir: string, options: { office?: string }) => {
      exitCode = await (await revisions()).configExportCommand(context(), dir, options);
    });
  configCommands
    .command('import <dir>')
    .description('a new revision from the files in DIR (one per office); exit 1 when invalid (recorded, not current)')
    .option('--office <id>', 'only this office (many-office layout), or the office of a one-office DIR that does not load')
    .option('--author <name>', 'who made the change (default: cli)')
    .option('--message <text>', 'why')
    .option('--parent <rev>', 'the revision the files were edited from (default: the one `config export` marked in DIR, else the current one); merged with a newer current revision when the two changed different lines, else refused')
    .action(async (dir: string, options: { office?: string; author?: string; message?: string; parent?: string }) => {
      exitCode = await (await revisions()).configImportCommand(context(), dir, options);
    });
  program
    .command('schema')
    .description('write the JSON Schema of herald.yaml and calendar.yaml (for editor autocompletion)')
    .option('--out <dir>', 'output directory', 'schema')
    .action(async (options: { out: string }) => {
      exitCode = await (await import('./schema-command')).schemaCommand(context(), { out: path.resolve(cwd, options.out) });
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportFailure(error, { stderr, debug, cwd });
  }
}

function reportFailure(error: unknown, io: { stderr: NodeJS.WritableStream; debug: boolean; cwd: string }): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they are successes to staff.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return 2;
  }
  if (error instanceof AppError) {
    if (error.problems.length > 0) error.problems.forEach((problem) => write(io.stderr, formatProblem(problem, io.cwd)));
    else write(io.stderr, `error: ${error.message}`);
    if (error.problems.length > 0) write(io.stderr, `${error.problems.filter((p) => p.severity === 'error').length} error(s): fix them and run the command again (nothing was started)`);
    if (io.debug && error.stack) write(io.stderr, error.stack);
    return error.code === 'usage' ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(io.stderr, `error: ${message}${io.debug ? '' : ' (run with --debug for details)'}`);
  if (io.debug && error instanceof Error && error.stack) write(io.stderr, error.stack);
  return 1;
}

/** `.env` in the working directory (then in the config directory) fills in what the environment lacks. */
function loadEnv(cwd: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const file of [path.join(cwd, '.env'), path.join(cwd, 'config', '.env')]) {
    if (!fs.existsSync(file)) continue;
    const parsed = dotenv.parse(fs.readFileSync(file));
    for (const [key, value] of Object.entries(parsed)) if (env[key] === undefined) env[key] = value;
  }
  return env;
}

function exitQuietlyOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
}
