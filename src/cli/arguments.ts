/**
 * Argument parsers for commander: a bad value stops the command before
 * anything runs, with a message naming the option and what to write instead
 * (commander prints it and the CLI exits 2).
 */
import { InvalidArgumentError } from 'commander';
import { AppError } from '../errors';
import { instantTextProblem } from '../time/instant-text';

/** `--days 7`: a whole number of 1 or more. */
export function parsePositiveInt(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('write a whole number of 1 or more, e.g. 7.');
  return n;
}

/**
 * `--from T`: ISO 8601 that names a real date and time. It stays text here:
 * without an offset it is read in the office zone, known only once the config
 * is loaded (parseTimeOption).
 */
export function parseTimeArgument(value: string): string {
  const problem = instantTextProblem(value);
  if (problem) throw new InvalidArgumentError(`${problem}; write e.g. 2027-02-01, 2027-02-01T14:00 (office time) or 2027-02-01T14:00+07:00.`);
  return value;
}

/** A range the command can walk: --from strictly before --to. */
export function checkRange(from: Date, to: Date, shown: { from: string; to: string }): void {
  if (from.getTime() >= to.getTime()) {
    throw new AppError('usage', `--from (${shown.from}) must be before --to (${shown.to}): swap them or pick a later --to`);
  }
}
