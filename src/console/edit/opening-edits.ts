/**
 * Edits of one-off openings (`releases:` in calendar.yaml) made by the
 * console's forms: text in, text out, comments and layout kept
 * (calendar-document.ts). Nothing is validated here beyond finding what to
 * edit: the edited text goes through the loader (edit-check.ts), which reports
 * a bad date or count on its field.
 */
import { isMap, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { normalizeTime } from '../../config/checks';
import { CalendarEditError, editCalendar, findItem, parseCalendar, quoted, quotaNode, releaseIdOf, setOrDelete, stringAt, topList, type Counts } from './calendar-document';

export interface OpeningInput {
  /**
   * Default: a code from the opening time, `pembukaan-2027-01-15-0900` (`newOpeningId`),
   * written into the file so a later change of the time keeps the id and its posts.
   * Not the loader's own default `release@2027-01-15T09:00`: a written id may not
   * hold `@` or `:` (config/schema.ts `ID_PATTERN`).
   */
  id?: string;
  /** "YYYY-MM-DD HH:mm", office time. */
  opensAt: string;
  /** "YYYY-MM-DD HH:mm" or "HH:mm" on the opening day. */
  closesAt?: string;
  /** The service days it covers (YYYY-MM-DD). */
  days: readonly string[];
  /** Slots per service, the same for each service day. */
  counts: Counts;
  note?: string;
}

/** Adds a one-off opening at the end of `releases:`. */
export function addOpening(text: string, opening: OpeningInput): string {
  return editCalendar(text, (doc, root) => {
    const list = topList(doc, root, 'releases');
    const release = new YAMLMap();
    const id = opening.id ?? freeOpeningId(list, opening.opensAt);
    if (findItem(list, id, releaseIdOf)) throw new CalendarEditError('id', `Sudah ada pembukaan dengan id \`${id}\`: pilih id lain.`);
    release.set(doc.createNode('id'), doc.createNode(id));
    release.set(doc.createNode('opensAt'), quoted(opening.opensAt));
    if (opening.closesAt !== undefined && opening.closesAt !== '') release.set(doc.createNode('closesAt'), quoted(opening.closesAt));
    release.set(doc.createNode('days'), daysNode(doc, opening.days.map((date) => ({ date, counts: opening.counts }))));
    if (opening.note !== undefined && opening.note !== '') release.set(doc.createNode('note'), doc.createNode(opening.note));
    list.items.push(release);
  });
}

/** A change of an opening; `null` removes an optional key, absent keys stay as they are. */
export interface OpeningChange {
  opensAt?: string;
  closesAt?: string | null;
  /**
   * The service days it covers now. A day kept keeps its line (and comments) and
   * its counts unless `counts` is given; a new day gets `counts`, else the first day's.
   */
  days?: readonly string[];
  /** Slots per service for every service day (replaces each day's counts). */
  counts?: Counts;
  note?: string | null;
}

/** Changes the one-off opening `id` (its `id:`, or the default `release@…` id). */
export function changeOpening(text: string, id: string, change: OpeningChange): string {
  return editCalendar(text, (doc, root) => {
    const release = requireOpening(root, id);
    if (change.opensAt !== undefined) {
      // The id stays what it was: a default id would move with the time and re-plan every post as new.
      if (release.get('id') === undefined) release.items.unshift(doc.createPair('id', id));
      setOrDelete(doc, release, 'opensAt', quoted(change.opensAt));
    }
    if (change.closesAt !== undefined) setOrDelete(doc, release, 'closesAt', change.closesAt === null || change.closesAt === '' ? null : quoted(change.closesAt));
    if (change.days !== undefined || change.counts !== undefined) changeDays(doc, release, change.days, change.counts);
    if (change.note !== undefined) setOrDelete(doc, release, 'note', change.note === '' ? null : change.note);
  });
}

/**
 * Cancels an opening: a one-off one gets `cancelled: true` (and `cancelReason`),
 * staying in the calendar as cancelled, as the sample's `simpatik-november`; a
 * recurring one (`RULE@YYYY-MM-DD`, the opening date) gets the date in its
 * rule's `cancelledOn`, as the sample's Christmas Day.
 */
export function cancelOpening(text: string, id: string, reason?: string): string {
  return editCalendar(text, (doc, root) => {
    const occurrence = /^(.+)@(\d{4}-\d{2}-\d{2})$/.exec(id);
    const rules = root.get('recurring', true);
    const rule = occurrence ? findItem(rules instanceof YAMLSeq ? rules : undefined, occurrence[1]!) : undefined;
    if (occurrence && rule) {
      const date = occurrence[2]!;
      const found: unknown = rule.item.get('cancelledOn', true);
      const cancelledOn = found instanceof YAMLSeq ? found : new YAMLSeq();
      if (cancelledOn !== found) rule.item.set(doc.createNode('cancelledOn'), cancelledOn);
      const entry = cancelledOn.items.find((item): item is YAMLMap => isMap(item) && item.get('date') === date);
      if (entry) setOrDelete(doc, entry, 'reason', reason === undefined || reason === '' ? undefined : reason);
      else cancelledOn.items.push(doc.createNode(reason === undefined || reason === '' ? { date } : { date, reason }));
      return;
    }
    const release = requireOpening(root, id);
    setOrDelete(doc, release, 'cancelled', true);
    if (reason !== undefined && reason !== '') setOrDelete(doc, release, 'cancelReason', reason);
  });
}

/** Counts for one service day of one opening, as a grid of days × services gives them. */
export interface DayCounts {
  openingId: string;
  date: string;
  /** Services given replace that service's count; a blank one removes it; services not given stay. */
  counts: Counts;
}

/** Enters the counts of many days at once; a day the opening does not list yet is added in date order. */
export function enterCounts(text: string, entries: readonly DayCounts[]): string {
  return editCalendar(text, (doc, root) => {
    for (const entry of entries) {
      const release = requireOpening(root, entry.openingId);
      const days = release.get('days', true);
      if (!(days instanceof YAMLSeq)) throw new CalendarEditError('days', `Pembukaan \`${entry.openingId}\` tidak punya daftar hari layanan di calendar.yaml.`);
      const day = days.items.find((item): item is YAMLMap => isMap(item) && item.get('date') === entry.date);
      if (!day) {
        const node = dayNode(doc, entry.date, entry.counts);
        const after = days.items.findIndex((item) => isMap(item) && String(item.get('date')) > entry.date);
        days.items.splice(after === -1 ? days.items.length : after, 0, node);
        continue;
      }
      const quota = day.get('quota', true);
      const merged: Record<string, number | string | null> = isMap(quota) ? (quota.toJSON() as Record<string, number | string>) : {};
      for (const [service, count] of Object.entries(entry.counts)) merged[service] = count;
      setOrDelete(doc, day, 'quota', quotaNode(doc, merged));
    }
  });
}

/**
 * The id `addOpening` gives an opening added without one: `pembukaan-DATE-HHmm`
 * from its opening time, with `-2`, `-3`, … when the calendar `text` already
 * has an opening of that id (two openings at the same time).
 */
export function newOpeningId(text: string, opensAt: string): string {
  let found: YAMLSeq | undefined;
  try {
    const releases = (parseCalendar(text).contents as YAMLMap).get('releases', true);
    found = releases instanceof YAMLSeq ? releases : undefined;
  } catch {
    // A calendar that does not parse has no openings to collide with; the edit itself reports it.
  }
  return freeOpeningId(found, opensAt);
}

function freeOpeningId(list: YAMLSeq | undefined, opensAt: string): string {
  const time = opensAt.slice(11).trim();
  const clock = /^\d{1,2}[:.]\d{2}$/.test(time) ? normalizeTime(time).replace(':', '') : time.replace(/[^0-9]/g, '');
  const base = `pembukaan-${opensAt.slice(0, 10).replace(/[^0-9-]/g, '')}${clock === '' ? '' : `-${clock}`}`;
  let id = base;
  for (let n = 2; findItem(list, id, releaseIdOf); n += 1) id = `${base}-${n}`;
  return id;
}

function requireOpening(root: YAMLMap, id: string): YAMLMap {
  const list = root.get('releases', true);
  const found = findItem(list instanceof YAMLSeq ? list : undefined, id, releaseIdOf);
  if (found) return found.item;
  const where = id.startsWith('csv:') ? ' (pembukaan dari berkas CSV: ubah berkas CSV-nya, lalu impor lagi)' : '';
  throw new CalendarEditError('id', `Pembukaan \`${id}\` tidak ada di calendar.yaml${where}.`);
}

function changeDays(doc: Document, release: YAMLMap, dates: readonly string[] | undefined, counts: Counts | undefined): void {
  const days = release.get('days', true);
  const existing = days instanceof YAMLSeq ? days.items.filter(isMap) : [];
  const firstQuota = existing[0]?.get('quota', true);
  const fallback: Counts = isMap(firstQuota) ? (firstQuota.toJSON() as Record<string, number>) : {};
  const kept = (dates ?? existing.map((day) => stringAt(day, 'date') ?? '')).map((date) => {
    const day = existing.find((item) => item.get('date') === date);
    if (!day) return dayNode(doc, date, counts ?? fallback);
    if (counts) setOrDelete(doc, day, 'quota', quotaNode(doc, counts));
    return day;
  });
  if (days instanceof YAMLSeq) days.items = kept;
  else {
    const list = new YAMLSeq();
    list.items = kept;
    release.set(doc.createNode('days'), list);
  }
}

function daysNode(doc: Document, days: { date: string; counts: Counts }[]): YAMLSeq {
  const list = new YAMLSeq();
  list.items = days.map((day) => dayNode(doc, day.date, day.counts));
  return list;
}

/** `{ date: 2027-01-04, quota: { regular: 120, express: 20 } }`, as the sample writes a service day. */
function dayNode(doc: Document, date: string, counts: Counts): YAMLMap {
  const day = new YAMLMap();
  day.flow = true;
  day.set(doc.createNode('date'), doc.createNode(date));
  day.set(doc.createNode('quota'), quotaNode(doc, counts));
  return day;
}

