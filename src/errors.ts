import path from 'node:path';

/** Where a problem is, in a file staff can open. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/**
 * One problem found while loading or checking. Collected, never thrown one by
 * one: staff fix every problem in one go.
 */
export interface Problem {
  /** `file:line:col` for config and templates; absent for post-level problems. */
  location?: SourceLocation;
  /** For a rendered post that breaks a limit: `POST-ID (channel, rule, due time)`. */
  subject?: string;
  /** What is wrong and what to do about it, in one sentence or two. */
  message: string;
  severity: 'error' | 'warning';
}

/**
 * `FILE:LINE:COL: message`. With `relativeTo`, files below that directory are
 * shown relative to it (`config/calendar.yaml`), as staff typed them.
 */
export function formatProblem(problem: Problem, relativeTo?: string): string {
  const where = problem.location
    ? `${displayPath(problem.location.file, relativeTo)}:${problem.location.line}:${problem.location.col}`
    : problem.subject;
  const prefix = problem.severity === 'warning' ? 'warning: ' : '';
  return where ? `${where}: ${prefix}${problem.message}` : `${prefix}${problem.message}`;
}

function displayPath(file: string, relativeTo: string | undefined): string {
  if (!relativeTo || !path.isAbsolute(file)) return file;
  const relative = path.relative(relativeTo, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export type AppErrorCode =
  | 'config-invalid'
  | 'template-invalid'
  | 'render-failed'
  | 'font-missing'
  | 'store-failed'
  | 'data-dir-locked'
  | 'usage'
  | 'revision-conflict'
  | 'publish-failed';

/** An expected failure with a message staff can act on; printed without a stack trace. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: Problem[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.problems = options?.problems ?? [];
  }
  readonly problems: Problem[];
}

/** Thrown when config, calendar or templates have problems; carries all of them. */
export class ConfigError extends AppError {
  constructor(problems: Problem[]) {
    super('config-invalid', `${problems.length} problem(s) in the configuration`, { problems });
    this.name = 'ConfigError';
  }
}
