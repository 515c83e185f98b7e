import type { RemovedDay, ServiceDay } from '../calendar/types';
import type { PlainDate } from '../time/plain-date';

export type PostKind = 'announcement' | 'digest' | 'correction' | 'cancellation';

/**
 * The facts a post shows, JSON-serialisable so the ledger can keep them: the
 * renderer needs nothing else, and a later correction can quote what was said.
 */
export interface PostFacts {
  office: {
    id: string;
    name: string;
    shortName: string;
    timezone: string;
    locale: string;
    info: { bookingChannel?: string; website?: string; address?: string; phone?: string; hashtags: string[] };
  };
  services: { id: string; name: string; shortName: string }[];
  /** For announcements, corrections and cancellations. */
  release?: ReleaseFacts;
  /** For digests: the covered period and every release touching it. */
  digest?: DigestFacts;
  /** For corrections: what the published post said before. */
  previous?: ReleaseFacts;
  /** The announcement rule's timing, so captions can say "besok" or "60 menit lagi". */
  timing?: { kind: 'before-opening'; minutes: number } | { kind: 'days-before'; days: number; time: string };
}

export interface ReleaseFacts {
  id: string;
  /** ISO instants (UTC). */
  opensAt: string;
  closesAt: string | null;
  status: 'open' | 'cancelled';
  cancelReason?: string;
  note?: string;
  days: ServiceDay[];
  removedDays: RemovedDay[];
}

export interface DigestFacts {
  from: PlainDate;
  to: PlainDate;
  /** Openings that happen inside the period (when to book). */
  openings: ReleaseFacts[];
  /** Each date of the period: service day counts (from any release), or why it is closed. */
  days: { date: PlainDate; quota: Record<string, number> | null; closedReason?: string; weekend: boolean }[];
  /**
   * The first open release that opens after the period (within NEXT_OPENING_LOOKAHEAD_DAYS),
   * so a week without quota can say when the next opening is.
   */
  nextOpening?: ReleaseFacts;
}

/**
 * One planned publication. Pure output of `planPosts`; the same inputs always
 * give the same ids, due times and fingerprints.
 */
export interface PlannedPost {
  /** Hash of office, rule, subject and channel: never random. */
  id: string;
  officeId: string;
  ruleId: string;
  channelId: string;
  kind: PostKind;
  releaseId: string | null;
  /** `RELEASE-ID` or `digest:FROM..TO`: what the post is about. */
  subject: string;
  template: string;
  dueAt: Date;
  /** After this instant the post is worthless and must not go out. */
  deadline: Date | null;
  /** Hash of the facts shown: a change means the pending post must be re-rendered. */
  fingerprint: string;
  facts: PostFacts;
  /**
   * Present when the post needs a staff approval (`settings.approval`): it is
   * never sent unapproved, and staff are alerted when this instant passes
   * without one. Not part of the facts: changing it re-plans nothing.
   */
  approveBy?: Date;
}

/** A post the rules ask for but that cannot go out, and why (shown by `check` and `plan`). */
export interface SkippedPost {
  officeId: string;
  ruleId: string;
  /** `RELEASE-ID` or `digest:FROM..TO`. */
  subject: string;
  channelId: string;
  /** What is wrong and what to do, for staff. */
  reason: string;
}

/** What `planPosts` returns: posts sorted by due time, then id. */
export interface PlanResult {
  posts: PlannedPost[];
  skipped: SkippedPost[];
}
