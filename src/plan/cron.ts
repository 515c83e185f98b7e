/**
 * Cron expressions, read by one library everywhere: croner. It parses them for
 * config validation, lists the wall-clock times a digest rule fires for the
 * planner, and runs the live bot's timers (re-plan, account checks), so one
 * expression means the same days in `check`, `plan`, `simulate` and `run`.
 *
 * Why croner and not node-cron: node-cron validates and runs timers, but lists
 * runs only from the real current moment (its `getNextRuns` starts at
 * `new Date()`), while the planner needs them from any instant, as pure data
 * (`plan --from`, `simulate` on a virtual clock); and it requires BOTH day
 * fields to match where classic (Vixie) cron needs EITHER. croner does all
 * three (`nextRun(from)`) and keeps the classic rule (`domAndDow: false`).
 */
import { Cron, type CronOptions } from 'croner';
export { cronOccurrences, cronWallTimes } from './cron-occurrences';

/** A cron expression croner accepted, as written (trimmed). */
export interface CronSchedule {
  readonly expression: string;
}

export type CronParseResult = { ok: true; value: CronSchedule } | { ok: false; message: string };

const EXAMPLE = 'e.g. `0 18 * * 0` is Sundays at 18:00';

/**
 * How quota-herald reads every cron expression. Five fields, or six with
 * leading seconds; when both day-of-month and day-of-week are restricted a day
 * matches if EITHER does (classic Vixie cron, croner's default, spelled out).
 * Around clock changes the timers follow croner's Vixie-like rule: a fixed
 * time skipped by a gap runs when the clock has jumped, a repeated one once.
 */
export function cronOptions(zone: string): CronOptions {
  return { timezone: zone, mode: '5-or-6-parts', domAndDow: false, fixedTimeRule: 'no-wildcard' };
}

/** The same reading, on a clock without a zone: the planner's wall-clock walk (see cron-occurrences). */
export function wallClockCron(schedule: CronSchedule): Cron {
  const { timezone: _zone, ...options } = cronOptions('UTC');
  return new Cron(cronerPattern(schedule.expression), { ...options, utcOffset: 0 });
}

/**
 * A timer that calls `job` at every occurrence in `zone`. Unnamed on purpose:
 * croner refuses a second live job with the same name, and tests run several
 * bots in one process.
 */
export function startCronTimer(expression: string, zone: string, job: (scheduledAt: Date) => void): Cron {
  // The occurrence as scheduled, not the moment the timer woke: instances whose timers
  // fire a little apart still agree which period it is (store/job-runs.ts).
  return new Cron(cronerPattern(expression), { ...cronOptions(zone), protect: true }, (self: Cron) => job(self.currentRun() ?? new Date()));
}

const FULL_NAMES = [
  'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];
const FULL_NAME_PATTERN = new RegExp(`\\b(${FULL_NAMES.join('|')})\\b`, 'gi');

/**
 * croner takes three-letter names only; node-cron, which ran the bot's timers
 * before, also took full ones (`sunday`, `February`), so configs may hold them.
 */
function cronerPattern(expression: string): string {
  return expression.trim().replace(FULL_NAME_PATTERN, (name: string) => name.slice(0, 3));
}

/**
 * Checks an expression with croner. Every message says what is wrong and ends
 * with a valid example; croner's own wording is replaced where it is cryptic
 * (it counts months from 0: `month 13` would read "Invalid value for month: 12").
 */
export function parseCron(expr: string): CronParseResult {
  const expression = expr.trim();
  if (expression === '') return fail('the cron expression is empty');
  let cron: Cron;
  try {
    cron = new Cron(cronerPattern(expression), cronOptions('UTC'));
  } catch (error) {
    const croner = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
    return fail(explainCronProblem(expression) ?? croner);
  }
  // `0 0 30 2 *` parses but never fires: a digest that silently never goes out.
  if (cron.nextRun(new Date(Date.UTC(2000, 0, 1))) === null) {
    return fail('this expression never fires (a day that does not exist in the chosen months?); pick a day that exists');
  }
  return { ok: true, value: { expression } };
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message: `${message}; ${EXAMPLE}` };
}

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  names?: string;
}

const MONTH_NAMES = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const DAY_NAMES = 'sun|mon|tue|wed|thu|fri|sat';
const FIELDS: FieldSpec[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day-of-month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { label: 'day-of-week', min: 0, max: 7, names: DAY_NAMES },
];
const SECOND: FieldSpec = { label: 'second', min: 0, max: 59 };

/**
 * A plain-words reason for an expression croner refused, when the mistake is a
 * common one (field count, a value out of range, an unknown name); null lets
 * croner's message stand. It only explains: croner alone decides what is valid.
 */
function explainCronProblem(expression: string): string | null {
  if (expression.startsWith('@')) return `unknown nickname \`${expression}\`; use @yearly, @monthly, @weekly, @daily, @hourly or five fields`;
  const fields = expression.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got ${fields.length}`;
  }
  const specs = fields.length === 6 ? [SECOND, ...FIELDS] : FIELDS;
  const problems = fields.flatMap((field, i) => fieldProblems(field, specs[i]!));
  return problems.length > 0 ? problems.join('; ') : null;
}

function fieldProblems(field: string, spec: FieldSpec): string[] {
  const problems: string[] = [];
  // Values are what is left after taking out list commas, ranges and steps.
  for (const token of field.split(/[,/-]/)) {
    if (token === '' || token === '*' || token === '?') continue;
    if (/^\d+$/.test(token)) {
      const value = Number(token);
      if (value < spec.min || value > spec.max) {
        problems.push(`${spec.label} ${value} is out of range ${spec.min}–${spec.max}${spec.label === 'day-of-week' ? ' (0 and 7 are Sunday)' : ''}`);
      }
      continue;
    }
    if (spec.names && new RegExp(`^(${spec.names})\\w*$`, 'i').test(token)) continue;
    if (/^[\dLW#]+$/i.test(token)) continue; // croner's L, W and # forms: its message is the better one
    const hint = spec.names === MONTH_NAMES ? ' or a month name (jan–dec)' : spec.names === DAY_NAMES ? ' or a day name (sun–sat)' : '';
    problems.push(`${spec.label} \`${token}\` is not a number${hint}`);
  }
  return problems;
}
