/**
 * What the edit forms read from an office's calendar.yaml: its one-off
 * openings (to fill a change form), its recurring rules' ids (to cancel one
 * date of a rule) and how many closures it lists (a new one's problems are at
 * the next index). Read as the edit functions read it (console/edit): an
 * opening is found by its `id`, or by the default id of one written without.
 */
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { parseCalendar, releaseIdOf } from '../../../console/edit/calendar-document';

export interface CalendarOpening {
  id: string;
  opensAt: string;
  closesAt: string | null;
  days: { date: string; quota: Record<string, string> }[];
  note: string | null;
  cancelled: boolean;
}

export interface CalendarItems {
  openings: CalendarOpening[];
  recurringIds: string[];
  closures: number;
}

const EMPTY: CalendarItems = { openings: [], recurringIds: [], closures: 0 };

/** The items of calendar text; a text that does not parse has none (its problem shows when an edit is checked). */
export function readCalendarItems(text: string | undefined): CalendarItems {
  if (text === undefined || text.trim() === '') return EMPTY;
  let root: YAMLMap;
  try {
    root = parseCalendar(text).contents as YAMLMap;
  } catch {
    return EMPTY;
  }
  const releases = root.get('releases', true);
  const recurring = root.get('recurring', true);
  const closures = root.get('closures', true);
  return {
    openings: isSeq(releases) ? releases.items.filter(isMap).flatMap((item) => openingOf(item)) : [],
    recurringIds: isSeq(recurring) ? recurring.items.filter(isMap).flatMap((item) => (typeof item.get('id') === 'string' ? [String(item.get('id'))] : [])) : [],
    closures: isSeq(closures) ? closures.items.length : 0,
  };
}

function openingOf(item: YAMLMap): CalendarOpening[] {
  const id = releaseIdOf(item);
  if (id === undefined) return [];
  const text = (key: string): string | null => {
    const value = item.get(key);
    return value === undefined || value === null ? null : String(value);
  };
  const days = item.get('days', true);
  return [
    {
      id,
      opensAt: text('opensAt') ?? '',
      closesAt: text('closesAt'),
      days: isSeq(days)
        ? days.items.filter(isMap).map((day) => {
            const quota = day.get('quota', true);
            const counts: Record<string, string> = {};
            if (isMap(quota)) for (const [service, count] of Object.entries(quota.toJSON() as Record<string, unknown>)) counts[service] = String(count);
            return { date: String(day.get('date') ?? ''), quota: counts };
          })
        : [],
      note: text('note'),
      cancelled: item.get('cancelled') === true,
    },
  ];
}

/** The dates of an opening's service days in calendar text, in file order (problems name days by that index). */
export function openingDayDates(text: string | undefined, openingId: string): string[] {
  return readCalendarItems(text).openings.find((opening) => opening.id === openingId)?.days.map((day) => day.date) ?? [];
}

/** `RULE@YYYY-MM-DD` of a recurring rule of the calendar: one date of it, to cancel. */
export function recurringOccurrence(items: CalendarItems, id: string): { ruleId: string; date: string } | null {
  const match = /^(.+)@(\d{4}-\d{2}-\d{2})$/.exec(id);
  if (!match || !items.recurringIds.includes(match[1]!)) return null;
  return { ruleId: match[1]!, date: match[2]! };
}
