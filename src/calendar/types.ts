import type { QuotaCounts } from '../config/types';
import type { SourceLocation } from '../errors';
import type { PlainDate } from '../time/plain-date';

/** One service day a release covers, with the quota per service. */
export interface ServiceDay {
  date: PlainDate;
  quota: QuotaCounts;
}

/** A covered day that is not a service day, and why (holiday, closure). */
export interface RemovedDay {
  date: PlainDate;
  reason: string;
  kind: 'holiday' | 'closure';
}

/**
 * One concrete opening of quota, whatever form it came from (explicit entry,
 * recurring rule, CSV row). Produced by `expandCalendar`; pure data.
 */
export interface Release {
  /** Stable: the explicit id, or `RULE-ID@YYYY-MM-DD` for recurring releases. */
  id: string;
  officeId: string;
  origin: 'explicit' | 'recurring' | 'csv';
  opensAt: Date;
  closesAt: Date | null;
  /** Local date of the opening in the office zone. */
  opensOn: PlainDate;
  status: 'open' | 'cancelled';
  cancelReason?: string;
  note?: string;
  /** Service days with their counts, sorted by date; holidays and closures already removed. */
  days: ServiceDay[];
  /** Days the release would have covered but that are closed, sorted by date. */
  removedDays: RemovedDay[];
  location: SourceLocation;
}

/** What `expandCalendar` returns for one office over a date window. */
export interface ExpandedCalendar {
  officeId: string;
  /** Releases whose opening date lies in the window, sorted by opening time then id (cancelled ones included). */
  releases: Release[];
  /** Every date in the window on which the office is closed (holiday or closure), sorted; weekends are not listed. */
  closedDays: RemovedDay[];
}

/** An inclusive range of local dates in the office zone, e.g. the releases to expand. */
export interface DateWindow {
  from: PlainDate;
  to: PlainDate;
}
