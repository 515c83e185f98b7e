/**
 * Corrections and cancellations of posts already published (DESIGN.md,
 * protocol 6). When the calendar changes after a post about a release went out
 * — a count cut, the opening moved, the release cancelled or removed — the
 * public must hear it at once, on every channel that carried the release, from
 * the `correction` or `cancellation` template, quoting what changed.
 *
 * Pure: the ledger's history comes in as data (`PublishedHistory`), the
 * calendar's present state is expanded from the config here, and `now` is an
 * argument. The store step (store/sync-corrections.ts) inserts the posts.
 */
import { createHash } from 'node:crypto';
import { expandCalendar } from '../calendar/expand';
import type { Config, OfficeConfig } from '../config/types';
import { addDays, type PlainDate } from '../time/plain-date';
import { fromLocal, toLocal } from '../time/zone';
import { approvalCutoff } from './approval';
import { buildOfficeFacts, buildReleaseFacts, buildServiceFacts } from './facts';
import { canonicalJson, fingerprintFacts } from './fingerprint';
import type { PlannedPost, PostFacts, PostKind, ReleaseFacts } from './types';

/** Rule id, template name and the id namespace of corrections; cancellations use their own rule and template. */
export const CORRECTION_RULE = 'correction';
export const CANCELLATION_RULE = 'cancellation';

/**
 * A correction that cannot go out within this long after the change was seen
 * is stale news: by then staff have been alerted (it expires) and will have
 * told the public some other way, and a "RALAT" half a day late, possibly
 * after further edits, confuses more than it helps.
 */
const MAX_CORRECTION_DELAY_MS = 12 * 3_600_000;

/** What went out about one release on one channel, oldest first. */
export interface PublishedHistory {
  officeId: string;
  releaseId: string;
  channelId: string;
  posts: { kind: PostKind; publishedAt: Date; release: ReleaseFacts }[];
}

/** Which (office, release, channel) a decision is about. */
export interface CorrectionKey {
  officeId: string;
  releaseId: string;
  channelId: string;
}

/**
 * The planner's word on one history: `post` is the correction or cancellation
 * that must exist (null: none is needed, so a pending one is stale).
 * Histories it cannot judge (office no longer configured) get no decision.
 */
export interface CorrectionDecision {
  key: CorrectionKey;
  post: PlannedPost | null;
}

/** The store's hook: histories in, decisions out (see `planCorrections`). */
export type CorrectionPlanner = (histories: PublishedHistory[]) => CorrectionDecision[];

/**
 * Decides, for each history, which correction or cancellation is owed now.
 *
 * - The public's current knowledge starts at the latest correction (it restated
 *   every fact) or just after the latest cancellation; a history that ends with
 *   a cancellation owes nothing (a release brought back is announced again by
 *   its ordinary rules).
 * - Release removed or cancelled (or left without a service day) → one
 *   cancellation; counts or opening time differ from anything said since →
 *   one correction quoting the latest such post as `previous`.
 * - Nothing once the release's last service day has passed, nor on a channel
 *   that is no longer configured and enabled.
 *
 * Ids hash the office, the release, the new facts, the quoted facts and the
 * channel: a re-plan that sees the same change gets the same id (no double),
 * a second change gets a new one.
 */
export function planCorrections(input: { config: Config; histories: PublishedHistory[]; now: Date }): CorrectionDecision[] {
  const offices = new Map(input.config.offices.map((office) => [office.id, office]));
  const current = resolveCurrentReleases(offices, input.histories);
  const decisions: CorrectionDecision[] = [];
  for (const history of input.histories) {
    const office = offices.get(history.officeId);
    if (!office) continue;
    const key = { officeId: history.officeId, releaseId: history.releaseId, channelId: history.channelId };
    const present = current.get(releaseKey(history.officeId, history.releaseId)) ?? null;
    decisions.push({ key, post: decide(office, history, present, input.now) });
  }
  return decisions;
}

function decide(office: OfficeConfig, history: PublishedHistory, current: ReleaseFacts | null, now: Date): PlannedPost | null {
  const told = sinceLastSettled(history.posts);
  const latest = told[told.length - 1];
  if (!latest) return null;
  const channel = office.channels.find((c) => c.id === history.channelId);
  if (!channel?.enabled) return null;
  const lastDay = lastServiceDay([current, ...told.map((p) => p.release)]);
  if (lastDay === null || lastDay < toLocal(now, office.timezone).date) return null;

  if (current === null || current.status === 'cancelled' || current.days.length === 0) {
    // A removed release keeps the facts the public saw: the cancellation needs nothing more.
    const release = current ?? { ...latest.release, status: 'cancelled' as const };
    return buildPost(office, history, 'cancellation', withCancelReason(release), latest.release, lastDay, now);
  }
  const differing = told.filter((p) => quotedFacts(p.release) !== quotedFacts(current));
  const previous = differing[differing.length - 1];
  if (!previous) return null;
  return buildPost(office, history, 'correction', current, previous.release, lastDay, now);
}

/** The posts since the public was last told everything: from the latest correction, after the latest cancellation. */
function sinceLastSettled(posts: PublishedHistory['posts']): PublishedHistory['posts'] {
  for (let i = posts.length - 1; i >= 0; i--) {
    const kind = posts[i]!.kind;
    if (kind === 'correction') return posts.slice(i);
    if (kind === 'cancellation') return posts.slice(i + 1);
  }
  return posts;
}

/**
 * The facts a correction can quote: opening instant and the non-zero counts
 * per day and service (a zero count and a missing one read the same, as in
 * the render context's `changes`). Notes and closing times are not quoted.
 */
function quotedFacts(release: ReleaseFacts): string {
  const days = release.days
    .map((day) => ({ date: day.date, quota: Object.fromEntries(Object.entries(day.quota).filter(([, count]) => count !== 0)) }))
    .filter((day) => Object.keys(day.quota).length > 0)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return canonicalJson({ opensAt: release.opensAt, days });
}

function lastServiceDay(releases: (ReleaseFacts | null)[]): PlainDate | null {
  let last: PlainDate | null = null;
  for (const release of releases) {
    for (const day of release?.days ?? []) if (last === null || day.date > last) last = day.date;
  }
  return last;
}

/** A release left without service days is cancelled in effect; say why when the calendar does not. */
function withCancelReason(release: ReleaseFacts): ReleaseFacts {
  const cancelled: ReleaseFacts = { ...release, status: 'cancelled' };
  if (cancelled.cancelReason === undefined && release.days.length === 0 && release.removedDays.length > 0) {
    cancelled.cancelReason = [...new Set(release.removedDays.map((d) => d.reason))].join(', ');
  }
  return cancelled;
}

function buildPost(
  office: OfficeConfig,
  history: PublishedHistory,
  kind: 'correction' | 'cancellation',
  release: ReleaseFacts,
  previous: ReleaseFacts,
  lastDay: PlainDate,
  now: Date,
): PlannedPost {
  const facts: PostFacts = { office: buildOfficeFacts(office), services: buildServiceFacts(office), release };
  // Cancellations quote nothing; the template shows the release as the public knew it.
  if (kind === 'correction') facts.previous = previous;
  const template = kind === 'correction' ? CORRECTION_RULE : CANCELLATION_RULE;
  // Quota of the last service day can be booked until that day ends; after it a correction helps nobody.
  const endOfLastDay = fromLocal(addDays(lastDay, 1), '00:00', office.timezone);
  const deadline = new Date(Math.min(endOfLastDay.getTime(), now.getTime() + MAX_CORRECTION_DELAY_MS));
  // A correction is due at once: when it needs approval, its cut-off has passed and staff are alerted now.
  const approveBy = approvalCutoff(office, { ruleId: template, dueAt: now });
  return {
    ...(approveBy ? { approveBy } : {}),
    id: correctionId(office.id, history.releaseId, canonicalJson({ kind, release }), canonicalJson(previous), history.channelId),
    officeId: office.id,
    ruleId: template,
    channelId: history.channelId,
    kind,
    releaseId: history.releaseId,
    subject: history.releaseId,
    template,
    dueAt: now,
    deadline,
    fingerprint: fingerprintFacts(template, facts),
    facts,
  };
}

/**
 * The stable id of a correction: JSON-encoded parts (no separator tricks), a
 * six-part tuple that can never equal an announcement's four-part `postId`.
 */
export function correctionId(officeId: string, releaseId: string, newFacts: string, quotedFacts: string, channelId: string): string {
  const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
  return createHash('sha256')
    .update(JSON.stringify([officeId, CORRECTION_RULE, releaseId, digest(newFacts), digest(quotedFacts), channelId]))
    .digest('hex')
    .slice(0, 20);
}

const releaseKey = (officeId: string, releaseId: string): string => JSON.stringify([officeId, releaseId]);

/**
 * The calendar's present facts of every release the histories mention (absent
 * from the map: removed). Each office's calendar is expanded over the opening
 * dates the public was told plus, for explicit and CSV releases, the date the
 * config gives now: a release moved to another day is found, not taken for
 * removed. Recurring ids carry their opening date, so the told date suffices.
 */
function resolveCurrentReleases(offices: Map<string, OfficeConfig>, histories: PublishedHistory[]): Map<string, ReleaseFacts> {
  const wanted = new Map<string, { office: OfficeConfig; ids: Set<string>; dates: PlainDate[] }>();
  for (const history of histories) {
    const office = offices.get(history.officeId);
    if (!office) continue;
    const entry = wanted.get(office.id) ?? { office, ids: new Set<string>(), dates: [] };
    entry.ids.add(history.releaseId);
    for (const post of history.posts) entry.dates.push(toLocal(new Date(post.release.opensAt), office.timezone).date);
    wanted.set(office.id, entry);
  }
  const current = new Map<string, ReleaseFacts>();
  for (const { office, ids, dates } of wanted.values()) {
    for (const explicit of [...office.calendar.releases, ...office.calendar.imported]) {
      if (ids.has(explicit.id)) dates.push(explicit.opensAt.date);
    }
    if (dates.length === 0) continue;
    const sorted = [...dates].sort();
    // A day of margin each side: a local date seen from another zone's instant can differ by one.
    const window = { from: addDays(sorted[0]!, -1), to: addDays(sorted[sorted.length - 1]!, 1) };
    for (const release of expandCalendar(office, window).releases) {
      if (ids.has(release.id)) current.set(releaseKey(office.id, release.id), buildReleaseFacts(release));
    }
  }
  return current;
}
