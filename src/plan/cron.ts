/**
 * Our own cron parser, so the planner can enumerate digest times as pure data.
 *
 * It accepts a deliberate subset of what node-cron 4 accepts (five fields, or
 * six with leading seconds; `*`, lists, ranges, steps, month and weekday names,
 * `?`, the `@daily`-style nicknames). Anything we accept, node-cron accepts too
 * (test/plan/cron.test.ts checks this), so config validation never passes an
 * expression the live bot would refuse. Quartz extensions (`L`, `W`, `#`) and
 * backwards ranges are refused with a message saying what to write instead.
 */
export { cronOccurrences, cronMatchesDate } from './cron-occurrences';

/** A parsed cron expression: sorted value lists per field. */
export interface CronSchedule {
  /** The expression as written (trimmed). */
  readonly expression: string;
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** 1–31. */
  readonly daysOfMonth: readonly number[];
  /** 1–12. */
  readonly months: readonly number[];
  /** 0–6, 0 = Sunday (7 is folded into 0). */
  readonly daysOfWeek: readonly number[];
  /**
   * Whether day-of-month / day-of-week were restricted (not `*` or `?`). When both
   * are, a day matches if EITHER matches (the classic cron rule).
   */
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

export type CronParseResult = { ok: true; value: CronSchedule } | { ok: false; message: string };

const EXAMPLE = 'e.g. `0 18 * * 0` is Sundays at 18:00';

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTH_LABELS = FULL_MONTH_NAMES.map((name) => name[0]!.toUpperCase() + name.slice(1));

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldSpec {
  label: string;
  min: number;
  /** Highest value accepted as written (7 for day-of-week, folded to 0). */
  max: number;
  names?: Record<string, number>;
  /** `?` means "any" (day-of-month and day-of-week only, as node-cron allows). */
  allowsQuestionMark?: boolean;
}

function nameTable(short: string[], full: string[], first: number): Record<string, number> {
  const table: Record<string, number> = {};
  short.forEach((name, i) => (table[name] = i + first));
  full.forEach((name, i) => (table[name] = i + first));
  return table;
}

const SECOND: FieldSpec = { label: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { label: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { label: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { label: 'day-of-month', min: 1, max: 31, allowsQuestionMark: true };
const MONTH: FieldSpec = { label: 'month', min: 1, max: 12, names: nameTable(MONTH_NAMES, FULL_MONTH_NAMES, 1) };
const DAY_OF_WEEK: FieldSpec = {
  label: 'day-of-week',
  min: 0,
  max: 7,
  names: nameTable(DAY_NAMES, FULL_DAY_NAMES, 0),
  allowsQuestionMark: true,
};

/** Days in each month in a leap year: a day-of-month that fits no chosen month never fires. */
const MAX_DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface ParsedField {
  values: number[];
  restricted: boolean;
}

type FieldResult = { ok: true; value: ParsedField } | { ok: false; message: string };

/**
 * Parses a cron expression: `minute hour day-of-month month day-of-week`, or six
 * fields with leading seconds. Every problem found is reported in one message
 * that says what is wrong and shows a valid example.
 */
export function parseCron(expr: string): CronParseResult {
  const trimmed = expr.trim();
  if (trimmed === '') return fail('the cron expression is empty');
  const resolved = NICKNAMES[trimmed.toLowerCase()] ?? trimmed;
  if (resolved.startsWith('@')) {
    return fail(`unknown nickname \`${trimmed}\`; use one of ${Object.keys(NICKNAMES).join(', ')} or five fields`);
  }
  const illegal = /[^A-Za-z0-9*/,\-?# ]/.exec(resolved);
  if (illegal) {
    // node-cron refuses tabs and other whitespace too; say so plainly instead of echoing an invisible character.
    const what = /\s/.test(illegal[0]) ? 'a tab or other non-space whitespace' : `character \`${illegal[0]}\``;
    return fail(`${what} is not allowed; use digits, names, \`* , - / ?\` and spaces between fields`);
  }
  const fields = resolved.split(/ +/);
  if (fields.length !== 5 && fields.length !== 6) {
    return fail(
      `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got ${fields.length}`,
    );
  }
  const specs = fields.length === 6 ? [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK] : [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
  const messages: string[] = [];
  const parsed = fields.map((text, i) => {
    const result = parseField(text, specs[i]!);
    if (!result.ok) {
      messages.push(result.message);
      return null;
    }
    return result.value;
  });
  if (messages.length > 0) return fail(messages.join('; '));
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] =
    fields.length === 6 ? (parsed as ParsedField[]) : [{ values: [0], restricted: true }, ...(parsed as ParsedField[])];
  const impossible = impossibleDayMessage(dayOfMonth!, month!);
  if (impossible) return fail(impossible);
  return {
    ok: true,
    value: {
      expression: trimmed,
      seconds: second!.values,
      minutes: minute!.values,
      hours: hour!.values,
      daysOfMonth: dayOfMonth!.values,
      months: month!.values,
      daysOfWeek: dayOfWeek!.values,
      dayOfMonthRestricted: dayOfMonth!.restricted,
      dayOfWeekRestricted: dayOfWeek!.restricted,
    },
  };
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message: `${message}; ${EXAMPLE}` };
}

function parseField(text: string, spec: FieldSpec): FieldResult {
  if (spec.allowsQuestionMark && text === '?') text = '*';
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') return { ok: false, message: `${spec.label} \`${text}\` has an empty list item; write lists like \`1,15\`` };
    const error = addItem(item, spec, values);
    if (error) return { ok: false, message: error };
  }
  if (spec === DAY_OF_WEEK && values.delete(7)) values.add(0);
  return { ok: true, value: { values: [...values].sort((a, b) => a - b), restricted: text !== '*' } };
}

/** Adds the values of one list item (`*`, `5`, `1-5`, `*\/15`, `1-5/2`) or returns what is wrong. */
function addItem(item: string, spec: FieldSpec, into: Set<number>): string | null {
  const [base, stepText, extra] = item.split('/');
  if (extra !== undefined) return `${spec.label} \`${item}\` has more than one \`/\`; write steps like \`*/15\``;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
      return `${spec.label} step \`${stepText}\` must be a whole number of 1 or more, like \`*/15\``;
    }
    step = Number(stepText);
  }
  let low: number;
  let high: number;
  if (base === '*') {
    low = spec.min;
    high = spec === DAY_OF_WEEK ? 6 : spec.max;
    if (step > high - low) {
      return `${spec.label} step ${step} is larger than the range ${spec.min}–${high}, so \`${item}\` would only match ${low}; write \`${low}\` instead`;
    }
  } else {
    const bounds = base!.split('-');
    if (bounds.length > 2 || bounds.some((b) => b === '')) {
      return `${spec.label} \`${item}\` is not a value or a range; write ranges like \`1-5\``;
    }
    const first = readValue(bounds[0]!, spec);
    if (typeof first === 'string') return first;
    let last = bounds.length === 2 ? readValue(bounds[1]!, spec) : first;
    if (typeof last === 'string') return last;
    // `mon-sun`: Sunday written as a name is 0, but as a range end it means 7.
    if (spec === DAY_OF_WEEK && last === 0 && first > 0) last = 7;
    if (stepText !== undefined && bounds.length === 1) {
      return `${spec.label} \`${item}\` puts a step after a single value; write \`${first}-${spec.max === 7 ? 6 : spec.max}/${step}\` or \`*/${step}\``;
    }
    if (last < first) {
      return `${spec.label} range \`${base}\` runs backwards; ranges go from low to high like \`1-5\` (split a wrap-around into two, like \`22-23,0-2\`)`;
    }
    low = first;
    high = last;
  }
  for (let v = low; v <= high; v += step) into.add(v);
  return null;
}

function readValue(token: string, spec: FieldSpec): number | string {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < spec.min || value > spec.max) {
      return `${spec.label} ${value} is out of range ${spec.min}–${spec.max}${spec === DAY_OF_WEEK ? ' (0 and 7 are Sunday)' : ''}`;
    }
    return value;
  }
  const named = spec.names?.[token.toLowerCase()];
  if (named !== undefined) return named;
  if (/^[LW#]|[LW#]$|#/i.test(token) && /^[\dLW#-]+$/i.test(token)) {
    return `${spec.label} \`${token}\` uses the L/W/# extensions, which quota-herald does not support; list the days instead`;
  }
  const hint = spec === MONTH ? ' or a month name (jan–dec)' : spec === DAY_OF_WEEK ? ' or a day name (sun–sat)' : '';
  return `${spec.label} \`${token}\` is not a number${hint}`;
}

function impossibleDayMessage(dayOfMonth: ParsedField, month: ParsedField): string | null {
  if (!dayOfMonth.restricted) return null;
  const smallest = dayOfMonth.values[0]!;
  const fits = month.values.some((m) => smallest <= MAX_DAYS_IN_MONTH[m - 1]!);
  if (fits) return null;
  const monthList = month.values.map((m) => MONTH_LABELS[m - 1]).join(', ');
  return `day-of-month ${dayOfMonth.values.join(',')} never occurs in ${monthList}, so this would never run; pick a day that exists`;
}
