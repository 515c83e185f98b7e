/**
 * The preview's range from `?from=&to=`: office-local dates, both days
 * included (staff think in days, not instants). Default: today and the next
 * 13 days. Whole days make the range the same all day long, so the card
 * requests of a page hit the cached preview (preview-cache.ts) instead of
 * rendering everything again.
 */
import { addDays, daysBetween, isPlainDate, type PlainDate } from '../../../time/plain-date';
import { fromLocal, toLocal } from '../../../time/zone';

export const DEFAULT_DAYS = 14;
/** Rendering is ~0.1 s a post: two months is the most one page asks for. */
export const MAX_DAYS = 62;

export interface PreviewRange {
  /** First day shown (office-local). */
  fromDate: PlainDate;
  /** Last day shown, included. */
  toDate: PlainDate;
  /** [from, to): the start of `fromDate` to the start of the day after `toDate`, in the office's zone. */
  from: Date;
  to: Date;
  /** Set when the asked range was not usable and the default is shown instead: a message key. */
  problem?: 'preview.range.invalid' | 'preview.range.tooLong';
}

export function previewRange(query: { from?: unknown; to?: unknown }, zone: string, now: Date): PreviewRange {
  const today = toLocal(now, zone).date;
  const fallback = (problem?: PreviewRange['problem']): PreviewRange => build(today, addDays(today, DEFAULT_DAYS - 1), zone, problem);
  const asked = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const fromText = asked(query.from);
  const toText = asked(query.to);
  if (fromText === undefined && toText === undefined) return fallback();
  const fromDate = fromText ?? today;
  if (!isPlainDate(fromDate)) return fallback('preview.range.invalid');
  const toDate = toText ?? addDays(fromDate, DEFAULT_DAYS - 1);
  if (!isPlainDate(toDate) || daysBetween(fromDate, toDate) < 0) return fallback('preview.range.invalid');
  if (daysBetween(fromDate, toDate) + 1 > MAX_DAYS) return fallback('preview.range.tooLong');
  return build(fromDate, toDate, zone);
}

function build(fromDate: PlainDate, toDate: PlainDate, zone: string, problem?: PreviewRange['problem']): PreviewRange {
  return { fromDate, toDate, from: fromLocal(fromDate, '00:00', zone), to: fromLocal(addDays(toDate, 1), '00:00', zone), ...(problem ? { problem } : {}) };
}

/** `?from=…&to=…` for links that must land on the same range (the card images). */
export function rangeQuery(range: Pick<PreviewRange, 'fromDate' | 'toDate'>): string {
  return `from=${range.fromDate}&to=${range.toDate}`;
}
