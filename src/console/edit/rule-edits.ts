/**
 * Edits of the recurring rules (`recurring:`) and closures (`closures:`) of
 * calendar.yaml made by the console's forms; text in, text out, comments and
 * layout kept (calendar-document.ts). The loader judges the result.
 */
import { YAMLMap, YAMLSeq, type Document } from 'yaml';
import { CalendarEditError, countValue, editCalendar, findItem, quoted, quotaNode, setOrDelete, topList, type Counts } from './calendar-document';

export interface RecurringRuleInput {
  id: string;
  /** Exactly one of weekly, monthly, twiceMonthly (the loader says so otherwise). */
  weekly?: { weekday: string; weeksAhead?: number | string };
  monthly?: { day: number | string; monthsAhead?: number | string };
  twiceMonthly?: { days: readonly [number | string, number | string] };
  /** Opening time "HH:mm". */
  at: string;
  closesAfterMinutes?: number | string;
  serviceWeekdays?: readonly string[];
  /** Slots per service for each service day. */
  counts: Counts;
  from?: string;
  until?: string;
  note?: string;
}

/** A change of a rule: `null` removes an optional key, absent keys stay. Giving one rhythm removes the others. */
export type RecurringRuleChange = { [K in Exclude<keyof RecurringRuleInput, 'id'>]?: RecurringRuleInput[K] | null };

const RHYTHMS = ['weekly', 'monthly', 'twiceMonthly'] as const;

/** Adds a recurring rule at the end of `recurring:`. */
export function addRecurringRule(text: string, rule: RecurringRuleInput): string {
  return editCalendar(text, (doc, root) => {
    const list = topList(doc, root, 'recurring');
    if (findItem(list, rule.id)) throw new CalendarEditError('id', `Sudah ada pembukaan rutin dengan id \`${rule.id}\`: pilih id lain.`);
    const item = new YAMLMap();
    item.set(doc.createNode('id'), doc.createNode(rule.id));
    const { id: _id, ...rest } = rule;
    applyRuleChange(doc, item, rest);
    list.items.push(item);
  });
}

/** Changes the recurring rule `id`; its comments and `cancelledOn` stay unless changed. */
export function changeRecurringRule(text: string, id: string, change: RecurringRuleChange): string {
  return editCalendar(text, (doc, root) => {
    const found = findItem(asSeq(root.get('recurring', true)), id);
    if (!found) throw new CalendarEditError('id', `Pembukaan rutin \`${id}\` tidak ada di calendar.yaml.`);
    applyRuleChange(doc, found.item, change);
  });
}

/** Removes the recurring rule `id` (its pending posts are cancelled at the next re-plan, published ones get a cancellation). */
export function removeRecurringRule(text: string, id: string): string {
  return editCalendar(text, (_doc, root) => {
    const list = asSeq(root.get('recurring', true));
    const found = findItem(list, id);
    if (!found || !list) throw new CalendarEditError('id', `Pembukaan rutin \`${id}\` tidak ada di calendar.yaml.`);
    list.items.splice(found.index, 1);
  });
}

export interface ClosureInput {
  /** One closed day … */
  date?: string;
  /** … or a range, both days included. */
  from?: string;
  to?: string;
  reason: string;
}

/** Adds a closure at the end of `closures:`, as the sample writes one: `{ date, reason }` or `{ from, to, reason }`. */
export function addClosure(text: string, closure: ClosureInput): string {
  return editCalendar(text, (doc, root) => {
    const list = topList(doc, root, 'closures');
    const entry: Record<string, string> = {};
    for (const key of ['date', 'from', 'to'] as const) if (closure[key] !== undefined && closure[key] !== '') entry[key] = closure[key];
    entry.reason = closure.reason;
    const node = doc.createNode(entry) as YAMLMap;
    node.flow = true;
    list.items.push(node);
  });
}

function applyRuleChange(doc: Document, item: YAMLMap, change: RecurringRuleChange): void {
  const rhythm = RHYTHMS.find((key) => change[key] !== undefined && change[key] !== null);
  if (rhythm) {
    for (const key of RHYTHMS) if (key !== rhythm) item.delete(key);
    setOrDelete(doc, item, rhythm, flowNode(doc, rhythmData(change, rhythm)));
  } else for (const key of RHYTHMS) if (change[key] === null) item.delete(key);
  if (change.at !== undefined) setOrDelete(doc, item, 'at', change.at === null ? null : quoted(change.at));
  if (change.closesAfterMinutes !== undefined) setOrDelete(doc, item, 'closesAfterMinutes', change.closesAfterMinutes === null ? null : (countValue(change.closesAfterMinutes) ?? null));
  if (change.serviceWeekdays !== undefined) setOrDelete(doc, item, 'serviceWeekdays', change.serviceWeekdays === null ? null : flowNode(doc, [...change.serviceWeekdays]));
  if (change.counts !== undefined) setOrDelete(doc, item, 'quota', change.counts === null ? null : quotaNode(doc, change.counts));
  for (const key of ['from', 'until', 'note'] as const) {
    const value = change[key];
    if (value !== undefined) setOrDelete(doc, item, key, value === null || value === '' ? null : value);
  }
}

function rhythmData(change: RecurringRuleChange, rhythm: (typeof RHYTHMS)[number]): Record<string, unknown> {
  if (rhythm === 'weekly') {
    const weekly = change.weekly!;
    return { weekday: weekly.weekday, ...(weekly.weeksAhead === undefined ? {} : { weeksAhead: countValue(weekly.weeksAhead) }) };
  }
  if (rhythm === 'monthly') {
    const monthly = change.monthly!;
    return { day: countValue(monthly.day), ...(monthly.monthsAhead === undefined ? {} : { monthsAhead: countValue(monthly.monthsAhead) }) };
  }
  return { days: change.twiceMonthly!.days.map((day) => countValue(day)) };
}

/** `{ weekday: friday, weeksAhead: 1 }` / `[monday, friday]` on one line, as the sample writes them. */
function flowNode(doc: Document, data: unknown): YAMLMap | YAMLSeq {
  const node = doc.createNode(data, { flow: true }) as YAMLMap | YAMLSeq;
  return node;
}

function asSeq(value: unknown): YAMLSeq | undefined {
  return value instanceof YAMLSeq ? value : undefined;
}
