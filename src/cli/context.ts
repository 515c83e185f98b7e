/** What every command shares: resolved directories, the clock, output streams. */
import path from 'node:path';
import type { Clock } from '../clock';
import type { Config } from '../config/types';
import { AppError } from '../errors';
import { parseInstant } from '../time/instant-text';

export interface GlobalOptions {
  config?: string;
  data?: string;
  templates?: string;
  debug?: boolean;
}

export interface CliContext {
  configDir: string;
  dataDir: string;
  templatesDir?: string;
  databaseUrl?: string;
  debug: boolean;
  /** Working directory the command was started in: problem lines show paths relative to it. */
  cwd: string;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

export function resolveContext(
  options: GlobalOptions,
  base: { clock: Clock; env: Readonly<Record<string, string | undefined>>; stdout: CliContext['stdout']; stderr: NodeJS.WritableStream; cwd: string },
): CliContext {
  const configDir = path.resolve(base.cwd, options.config ?? base.env.HERALD_CONFIG_DIR ?? 'config');
  const dataDir = path.resolve(base.cwd, options.data ?? base.env.HERALD_DATA_DIR ?? 'data');
  const databaseUrl = base.env.DATABASE_URL && base.env.DATABASE_URL.trim() !== '' ? base.env.DATABASE_URL : undefined;
  return {
    configDir,
    dataDir,
    ...(options.templates ? { templatesDir: path.resolve(base.cwd, options.templates) } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    debug: options.debug ?? false,
    cwd: base.cwd,
    clock: base.clock,
    env: base.env,
    stdout: base.stdout,
    stderr: base.stderr,
  };
}

/** `T` of the CLI: ISO 8601; without an offset, read in the (first) office's zone. */
export function parseTimeOption(value: string | undefined, name: string, config: Config): Date | undefined {
  if (value === undefined) return undefined;
  const zone = config.offices[0]?.timezone ?? 'UTC';
  const parsed = parseInstant(value, zone);
  if (!parsed) {
    throw new AppError('usage', `--${name} "${value}" is not a date or time; use ISO 8601 such as 2026-12-04 or 2026-12-04T14:00 (read in ${zone}) or 2026-12-04T14:00+07:00`);
  }
  return parsed;
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
