/**
 * The CLI in this process: `main(argv, io)` with captured output, for tests
 * about what a command does rather than about the process that runs it. A
 * spawned CLI (support/cli.ts `runCli`) costs about a second of node start-up
 * and module loading before the command starts; in-process only the command's
 * own work is paid. Tests about the process itself (exit status, signals,
 * stdout piping, two processes racing, `run`) keep spawning it.
 *
 * Each run checks that it left the process as it found it (exit code,
 * listeners, working directory, environment), so a command that starts to
 * leak state shows up here instead of in a later test.
 */
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import type { Clock } from '../../src/clock';
import { main } from '../../src/cli/main';
import type { CliRun } from './cli';
import { REPO_ROOT } from './cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/**
 * pino's streams (SonicBoom, also behind a silent logger) share one `exit` and
 * `beforeExit` hook from on-exit-leak-free, removed once the streams are
 * garbage-collected: it comes and goes with the GC, not with a command.
 */
function isCollectedWithItsStreams(listener: (...args: unknown[]) => unknown): boolean {
  return listener.name === 'onExit' || listener.name === 'onBeforeExit';
}

/** Process-wide state a command could leave behind, one line per item. */
function processState(): string[] {
  const counts = (emitter: NodeJS.EventEmitter, events: string[]): string =>
    events.map((event) => `${event}=${emitter.listeners(event).filter((listener) => emitter !== process || !isCollectedWithItsStreams(listener as (...args: unknown[]) => unknown)).length}`).join(' ');
  // FONTCONFIG_FILE: render/fonts.ts points fontconfig at the shipped fonts once per process, on purpose.
  // Values are compared, names reported: the environment holds the test database's URL.
  const env = Object.entries(process.env)
    .filter(([key]) => key !== 'FONTCONFIG_FILE')
    .map(([key, value]) => `env ${key} (${String(value).length} characters, ${hash(String(value))})`)
    .sort();
  return [
    `exitCode=${String(process.exitCode)}`,
    `cwd=${process.cwd()}`,
    `process: ${counts(process, ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'warning'])}`,
    `stdout: ${counts(process.stdout, ['error'])}`,
    `stderr: ${counts(process.stderr, ['error'])}`,
    ...env,
  ];
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Runs `quota-herald ARGS` in-process on the real clock (unless `clock` is
 * given), from `cwd` (default the repository root, as `runCli`), with the
 * environment `runCli` gives a child: this process's, LOG_LEVEL=warn, then
 * `env`. A `.env` file in `cwd` is not read (tests keep theirs out of it).
 */
export async function runCliInProcess(args: string[], options: { cwd?: string; env?: Record<string, string>; clock?: Clock } = {}): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const before = processState();
  const code = await main(['node', 'quota-herald', ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdout,
    stderr,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const after = processState();
  const changed = [...before.filter((line) => !after.includes(line)).map((line) => `- ${line}`), ...after.filter((line) => !before.includes(line)).map((line) => `+ ${line}`)];
  if (changed.length > 0) throw new Error(`quota-herald ${args.join(' ')} changed the process it ran in:\n${changed.join('\n')}`);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
