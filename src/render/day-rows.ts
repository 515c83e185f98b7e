/**
 * Day rows: the days a post lists, in date order, with runs of consecutive
 * days that say the same thing folded into one row ("Sen–Jum, 4–8 Jan: 120 / 20").
 *
 * Why: a weekly release is five rows, but a twice-monthly or monthly one is
 * 10–23 service days plus holidays. Listed day by day they overflow a card and
 * a caption; grouped they are a handful of rows that read the same way on the
 * card, in the caption and in the alt text. Closed days sit between the service
 * days where they fall, never after them.
 */
import { daysBetween, type PlainDate } from '../time/plain-date';

/** What one row says about its days. */
export type DayRowKind = 'service' | 'closed' | 'weekend' | 'none';

/** One service's count on each day of a row. */
export interface RowQuota {
  serviceId: string;
  serviceName: string;
  shortName: string;
  count: number;
}

/** One table cell of a row: the count per day, null when that service has no quota on these days. */
export interface RowCell {
  serviceId: string;
  shortName: string;
  count: number | null;
}

export interface DayRowView {
  kind: DayRowKind;
  /** First and last date of the run (equal for a single day). */
  from: PlainDate;
  to: PlainDate;
  /** Number of days in the run. */
  dayCount: number;
  single: boolean;
  /** Per-day counts (the same on every day of the row); empty unless `kind` is `service`. */
  quotas: RowQuota[];
  /** Aligned with the totals columns, for card tables. */
  cells: RowCell[];
  /** Sum of `quotas` for ONE day of the row. */
  total: number;
  /** Sum over all days of the row: `total × dayCount`. */
  rowTotal: number;
  /** Why the office is closed (`closed` rows), else null. */
  reason: string | null;
  /** `holiday` or `closure` for closed days of a release, null otherwise. */
  closedKind: 'holiday' | 'closure' | null;
}

/** One day as the grouping sees it. */
export interface RowDay {
  date: PlainDate;
  kind: DayRowKind;
  quotas: RowQuota[];
  cells: RowCell[];
  reason: string | null;
  closedKind: 'holiday' | 'closure' | null;
}

/** Two days fold into one row when they are adjacent and say exactly the same. */
function sameRow(a: RowDay, b: RowDay): boolean {
  if (a.kind !== b.kind || a.reason !== b.reason || a.closedKind !== b.closedKind) return false;
  if (a.cells.length !== b.cells.length) return false;
  return a.cells.every((cell, i) => cell.serviceId === b.cells[i]!.serviceId && cell.count === b.cells[i]!.count);
}

/** Folds `days` (any order) into rows, in date order. Pure. */
export function groupDayRows(days: readonly RowDay[]): DayRowView[] {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const rows: DayRowView[] = [];
  let run: RowDay[] = [];
  const flush = (): void => {
    const first = run[0];
    if (!first) return;
    const last = run[run.length - 1]!;
    const total = first.quotas.reduce((sum, q) => sum + q.count, 0);
    rows.push({
      kind: first.kind,
      from: first.date,
      to: last.date,
      dayCount: run.length,
      single: run.length === 1,
      quotas: first.quotas,
      cells: first.cells,
      total,
      rowTotal: total * run.length,
      reason: first.reason,
      closedKind: first.closedKind,
    });
    run = [];
  };
  for (const day of sorted) {
    const previous = run[run.length - 1];
    if (previous && !(daysBetween(previous.date, day.date) === 1 && sameRow(previous, day))) flush();
    run.push(day);
  }
  flush();
  return rows;
}
