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
