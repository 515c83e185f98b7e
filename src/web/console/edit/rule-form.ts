/**
 * The forms to add a recurring rule and to change one: how often it opens
 * (weekly, monthly, twice a month) and at what time, the service weekdays of
 * the period it covers, slots per service, from and until, a note. Without
 * JavaScript every rhythm's fields are on the page; only the chosen rhythm's
 * are read. A change passes on only what differs from the file, so the lines
 * not touched keep their bytes (and the comments around them).
 */
import { normalizeTime } from '../../../config/checks';
import { zoneAbbreviation } from '../../../render/helpers/zone-name';
import { DEFAULT_SERVICE_WEEKDAYS, readRecurringRules, type FieldProblem, type RecurringRuleChange, type RecurringRuleInput, type RecurringRuleItem, type WeekdayName } from '../../../console/edit';
import { splitField, type EditForm, type FormContext } from './edit-form';
import { fieldsPage } from './fields-page';
import type { FieldSpec, FormProblem, FormValues, GroupSpec } from './form-fields';
import { WEEK_ORDER } from './rule-words';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const RHYTHMS = ['weekly', 'monthly', 'twiceMonthly'] as const;
type RhythmKey = (typeof RHYTHMS)[number];
/** The fields each rhythm reads. */
const RHYTHM_FIELDS: Record<RhythmKey, readonly string[]> = { weekly: ['weekday', 'weeksAhead'], monthly: ['monthDay', 'monthsAhead'], twiceMonthly: ['twiceDay1', 'twiceDay2'] };
const LAST_WORKING_DAY = 'last-working-day';

const value = (values: FormValues, name: string): string => (values[name] ?? '').trim();
const dayField = (day: WeekdayName): string => `serviceDay.${day}`;

function rhythmOf(values: FormValues): RhythmKey {
  const chosen = value(values, 'rhythm');
  return (RHYTHMS as readonly string[]).includes(chosen) ? (chosen as RhythmKey) : 'weekly';
}

function serviceDaysOf(values: FormValues): WeekdayName[] {
  return WEEK_ORDER.filter((day) => value(values, dayField(day)) === 'on');
}

function countsOf(values: FormValues, ctx: FormContext): Record<string, string> {
  return Object.fromEntries(ctx.office.services.map((service) => [service.id, value(values, `count.${service.id}`)]));
}

/** The rule of the URL, as the base revision's calendar.yaml writes it. */
export function targetRule(ctx: FormContext): RecurringRuleItem | undefined {
  return readRecurringRules(ctx.files[ctx.calendarFile]).find((rule) => rule.id === ctx.target);
}

/** A file's rule as form values; times as a time field gives them (`14:00`). */
export function ruleValues(rule: RecurringRuleItem): FormValues {
  const values: FormValues = {
    at: /^\d{1,2}[:.]\d{2}$/.test(rule.at) ? normalizeTime(rule.at) : rule.at,
    closesAfterMinutes: rule.closesAfterMinutes === null ? '' : String(rule.closesAfterMinutes),
    weeksAhead: '1',
    monthsAhead: '1',
    from: rule.from ?? '',
    until: rule.until ?? '',
    note: rule.note ?? '',
  };
  const rhythm = rule.rhythm;
  if (rhythm?.every === 'weekly') Object.assign(values, { rhythm: 'weekly', weekday: rhythm.weekday, weeksAhead: String(rhythm.weeksAhead) });
  if (rhythm?.every === 'monthly') Object.assign(values, { rhythm: 'monthly', monthDay: String(rhythm.day), monthsAhead: String(rhythm.monthsAhead) });
  if (rhythm?.every === 'twice-monthly') Object.assign(values, { rhythm: 'twiceMonthly', twiceDay1: String(rhythm.days[0]), twiceDay2: String(rhythm.days[1]) });
  for (const day of rule.serviceWeekdays ?? DEFAULT_SERVICE_WEEKDAYS) values[dayField(day)] = 'on';
  for (const [service, count] of Object.entries(rule.quota)) values[`count.${service}`] = String(count);
  return values;
}

/** What must be filled before the loader is asked. */
function requiredProblems(values: FormValues, ctx: FormContext): FormProblem[] {
  const t = ctx.t;
  const problems: FormProblem[] = [];
  const rhythm = rhythmOf(values);
  if (rhythm === 'weekly' && value(values, 'weekday') === '') problems.push({ field: 'weekday', message: t('rules.form.needWeekday') });
  if (rhythm === 'monthly' && value(values, 'monthDay') === '') problems.push({ field: 'monthDay', message: t('rules.form.needMonthDay') });
  if (rhythm === 'twiceMonthly') {
    for (const name of ['twiceDay1', 'twiceDay2']) if (value(values, name) === '') problems.push({ field: name, message: t('rules.form.needTwiceDay') });
  }
  if (value(values, 'at') === '') problems.push({ field: 'at', message: t('rules.form.needTime') });
  if (serviceDaysOf(values).length === 0) problems.push({ field: 'serviceWeekdays', message: t('rules.form.needServiceDays') });
  if (Object.values(countsOf(values, ctx)).every((count) => count === '')) problems.push({ field: 'counts', message: t('rules.form.needCounts') });
  return problems;
}

/** The chosen rhythm as the edit functions take it; an ahead left empty is left out (the loader's default, 1). */
function rhythmInput(values: FormValues): Pick<RecurringRuleInput, RhythmKey> {
  const rhythm = rhythmOf(values);
  const ahead = (name: string): { [key: string]: string } => (value(values, name) === '' ? {} : { [name]: value(values, name) });
  if (rhythm === 'weekly') return { weekly: { weekday: value(values, 'weekday'), ...ahead('weeksAhead') } };
  if (rhythm === 'monthly') return { monthly: { day: value(values, 'monthDay'), ...ahead('monthsAhead') } };
  return { twiceMonthly: { days: [value(values, 'twiceDay1'), value(values, 'twiceDay2')] } };
}

/** Weekdays in the codes made for new rules, whatever the page's language: the codes are the office's. */
const CODE_WEEKDAYS: Record<WeekdayName, string> = { monday: 'senin', tuesday: 'selasa', wednesday: 'rabu', thursday: 'kamis', friday: 'jumat', saturday: 'sabtu', sunday: 'minggu' };

/** A code for a new rule from its rhythm (`rutin-jumat`, `rutin-tanggal-25`), free in the base calendar. */
function autoId(values: FormValues, ctx: FormContext): string {
  const rhythm = rhythmOf(values);
  const plain = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const base =
    rhythm === 'weekly'
      ? `rutin-${CODE_WEEKDAYS[value(values, 'weekday') as WeekdayName] ?? plain(value(values, 'weekday'))}`
      : rhythm === 'monthly'
        ? value(values, 'monthDay') === LAST_WORKING_DAY
          ? 'rutin-hari-kerja-terakhir'
          : `rutin-tanggal-${plain(value(values, 'monthDay'))}`
        : `rutin-tanggal-${plain(value(values, 'twiceDay1'))}-${plain(value(values, 'twiceDay2'))}`;
  const taken = new Set(ctx.items.recurringIds);
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

function newId(values: FormValues, ctx: FormContext): string {
  return value(values, 'id') || autoId(values, ctx);
}

/**
 * The form field of a problem about the rule `ruleId` (`recurring[2].weekly.weekday` → `weekday`).
 * A problem about the rule as a whole is about its opening dates (one falls on a closed day, one
 * covers only closed days): it goes beside the chosen rhythm's day; a rule without one rhythm
 * beside "how often".
 */
export function ruleField(problem: FieldProblem, ruleId: string, values: FormValues, ctx: FormContext, withId: boolean): string | null {
  if (problem.field === 'id') return withId ? 'id' : null;
  const split = splitField(problem.field);
  if (!split || split.list !== 'recurring' || problem.itemId !== ruleId) return null;
  const rest = split.rest;
  const rules: [RegExp, string | ((match: RegExpExecArray) => string | null)][] = [
    [/^\.id/, withId ? 'id' : 'rhythm'],
    [/^\.weekly\.weekday/, 'weekday'],
    [/^\.weekly\.weeksAhead/, 'weeksAhead'],
    [/^\.monthly\.day/, 'monthDay'],
    [/^\.monthly\.monthsAhead/, 'monthsAhead'],
    [/^\.twiceMonthly\.days\[1\]/, 'twiceDay2'],
    [/^\.twiceMonthly/, 'twiceDay1'],
    [/^\.(weekly|monthly)/, 'rhythm'],
    [/^\.at/, 'at'],
    [/^\.closesAfterMinutes/, 'closesAfterMinutes'],
    [/^\.serviceWeekdays/, 'serviceWeekdays'],
    [/^\.counts\.([^.[\]]+)/, (match) => (ctx.office.services.some((service) => service.id === match[1]) ? `count.${match[1]}` : 'counts')],
    [/^\.counts/, 'counts'],
    [/^\.(from|until|note)/, (match) => match[1]!],
    // A dated cancellation of the rule is not on this form: the list above the form says it.
    [/^\.cancelledOn/, () => null],
    [/^$/, () => (/say how often|give only one of/.test(problem.detail) ? 'rhythm' : RHYTHM_FIELDS[rhythmOf(values)][0]!)],
  ];
  for (const [pattern, field] of rules) {
    const match = pattern.exec(rest);
    if (match) return typeof field === 'string' ? field : field(match);
  }
  return null;
}

function groups(ctx: FormContext, mode: 'add' | 'change'): GroupSpec[] {
  const t = ctx.t;
  const weekdayOptions = WEEK_ORDER.map((day) => ({ value: day, label: t(`rules.weekday.${day}`) }));
  const monthDays = [...Array.from({ length: 31 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })), { value: LAST_WORKING_DAY, label: t('rules.form.lastWorkingDay') }];
  const when: FieldSpec[] = [
    ...(mode === 'add' ? [{ name: 'id', label: t('rules.form.id'), type: 'text', optional: true, maxlength: 80, hint: t('rules.form.idHint') } satisfies FieldSpec] : []),
    {
      name: 'rhythm',
      label: t('rules.form.rhythm'),
      type: 'select',
      options: [
        { value: 'weekly', label: t('rules.form.weekly') },
        { value: 'monthly', label: t('rules.form.monthly') },
        { value: 'twiceMonthly', label: t('rules.form.twiceMonthly') },
      ],
    },
    { name: 'at', label: t('rules.form.at'), type: 'time', required: true, hint: t('rules.form.atHint', { zone: zoneAbbreviation(ctx.office.timezone, ctx.now, ctx.office.locale) }) },
    { name: 'closesAfterMinutes', label: t('rules.form.closesAfter'), type: 'number', count: true, optional: true, hint: t('rules.form.closesAfterHint') },
  ];
  return [
    { legend: t('rules.form.when'), name: 'when', fields: when },
    {
      legend: t('rules.form.weeklyLegend'),
      name: 'weekly',
      hint: t('rules.form.weeklyHint'),
      fields: [
        { name: 'weekday', label: t('rules.form.weekday'), type: 'select', options: [{ value: '', label: t('rules.form.choose') }, ...weekdayOptions] },
        { name: 'weeksAhead', label: t('rules.form.weeksAhead'), type: 'number', count: true, hint: t('rules.form.weeksAheadHint') },
      ],
    },
    {
      legend: t('rules.form.monthlyLegend'),
      name: 'monthly',
      hint: t('rules.form.monthlyHint'),
      fields: [
        { name: 'monthDay', label: t('rules.form.monthDay'), type: 'select', options: [{ value: '', label: t('rules.form.choose') }, ...monthDays] },
        { name: 'monthsAhead', label: t('rules.form.monthsAhead'), type: 'number', count: true, hint: t('rules.form.monthsAheadHint') },
      ],
    },
    {
      legend: t('rules.form.twiceLegend'),
      name: 'twice',
      hint: t('rules.form.twiceHint'),
      fields: [
        { name: 'twiceDay1', label: t('rules.form.twiceDay1'), type: 'number', count: true },
        { name: 'twiceDay2', label: t('rules.form.twiceDay2'), type: 'number', count: true },
      ],
    },
    {
      legend: t('rules.form.serviceDays'),
      name: 'serviceWeekdays',
      hint: t('rules.form.serviceDaysHint'),
      fields: WEEK_ORDER.map((day) => ({ name: dayField(day), label: t(`rules.weekday.${day}`), type: 'checkbox' })),
    },
    {
      legend: t('rules.form.counts'),
      name: 'counts',
      hint: t('rules.form.countsHint'),
      fields: ctx.office.services.map((service) => ({ name: `count.${service.id}`, label: service.name, type: 'number', count: true, optional: true })),
    },
    {
      legend: t('rules.form.period'),
      hint: t('rules.form.periodHint'),
      name: 'period',
      fields: [
        { name: 'from', label: t('rules.form.from'), type: 'date', optional: true },
        { name: 'until', label: t('rules.form.until'), type: 'date', optional: true },
      ],
    },
    { legend: t('rules.form.noteLegend'), fields: [{ name: 'note', label: t('rules.form.note'), type: 'textarea', optional: true, maxlength: 500, rows: 3, hint: t('rules.form.noteHint') }] },
  ];
}

export const addRuleForm: EditForm = {
  kind: 'add-recurring',
  title: (ctx) => ctx.t('rules.add.title'),
  targetExists: () => true,
  initial: () => ({ rhythm: 'weekly', weekday: 'friday', weeksAhead: '1', monthsAhead: '1', ...Object.fromEntries(DEFAULT_SERVICE_WEEKDAYS.map((day) => [dayField(day), 'on'])) }),
  toEdit(values, ctx) {
    const problems = requiredProblems(values, ctx);
    const typed = value(values, 'id');
    if (typed !== '' && !ID_PATTERN.test(typed)) problems.unshift({ field: 'id', message: ctx.t('rules.form.badId') });
    if (problems.length > 0) return { problems };
    const optional = (name: 'from' | 'until' | 'note' | 'closesAfterMinutes'): { [key: string]: string } => (value(values, name) === '' ? {} : { [name]: value(values, name) });
    const rule: RecurringRuleInput = {
      id: newId(values, ctx),
      ...rhythmInput(values),
      at: value(values, 'at'),
      serviceWeekdays: serviceDaysOf(values),
      counts: countsOf(values, ctx),
      ...optional('closesAfterMinutes'),
      ...optional('from'),
      ...optional('until'),
      ...optional('note'),
    };
    return { edit: { kind: 'add-recurring', rule } };
  },
  fieldOf: (problem, values, ctx) => ruleField(problem, newId(values, ctx), values, ctx, true),
  message: (values, ctx) => `Konsol: tambah pembukaan rutin ${newId(values, ctx)}`,
  page: (values, problems, ctx) => fieldsPage(groups(ctx, 'add'), values, problems, { intro: ctx.t('rules.add.intro'), submit: ctx.t('edit.check') }),
};

export const changeRuleForm: EditForm = {
  kind: 'change-recurring',
  title: (ctx) => ctx.t('rules.change.title', { id: ctx.target ?? '' }),
  targetExists: (ctx) => targetRule(ctx) !== undefined,
  initial: (ctx) => ruleValues(targetRule(ctx)!),
  toEdit(values, ctx) {
    const problems = requiredProblems(values, ctx);
    if (problems.length > 0) return { problems };
    const before = ruleValues(targetRule(ctx)!);
    const same = (name: string): boolean => value(values, name) === value(before, name);
    const orNull = (name: string): string | null => (value(values, name) === '' ? null : value(values, name));
    const change: { -readonly [K in keyof RecurringRuleChange]: RecurringRuleChange[K] } = {};
    const rhythm = rhythmOf(values);
    if (!same('rhythm') || RHYTHM_FIELDS[rhythm].some((name) => !same(name))) Object.assign(change, rhythmInput(values));
    if (!same('at')) change.at = value(values, 'at');
    if (!same('closesAfterMinutes')) change.closesAfterMinutes = orNull('closesAfterMinutes');
    if (serviceDaysOf(values).join() !== serviceDaysOf(before).join()) change.serviceWeekdays = serviceDaysOf(values);
    if (ctx.office.services.some((service) => !same(`count.${service.id}`))) change.counts = countsOf(values, ctx);
    for (const name of ['from', 'until', 'note'] as const) if (!same(name)) change[name] = orNull(name);
    return { edit: { kind: 'change-recurring', id: ctx.target!, change } };
  },
  fieldOf: (problem, values, ctx) => ruleField(problem, ctx.target!, values, ctx, false),
  message: (_values, ctx) => `Konsol: ubah pembukaan rutin ${ctx.target!}`,
  page: (values, problems, ctx) => fieldsPage(groups(ctx, 'change'), values, problems, { intro: ctx.t('rules.change.intro'), submit: ctx.t('edit.check') }),
};
