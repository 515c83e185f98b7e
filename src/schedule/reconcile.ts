/**
 * Reconciliation (../shared/DESIGN.md, protocol step 3): a post whose publish
 * outcome is unclear (`unknown`) is never sent again blindly. The account is
 * read back — one read per channel per pass for all its unknown posts that
 * need one — and each post is matched by text and time (reconcile-match.ts).
 *
 * Platforms are eventually consistent: a post that went out may not show in
 * the account's timeline for a while, but one that shows did go out. So each
 * attempt of a post gets one early read and then the settled read, and only
 * "found" is believed early:
 *
 * - the early read, at first sight (as soon as the channel is readable): found
 *   → `published` at once; not found → left `unknown`, untouched. A post that
 *   went out is recorded without waiting, so a bot killed mid-publish does not
 *   pay the settle delay (20 s) at each restart and miss its deadline.
 * - the settled read, once the platform had time (`settleMs` after the
 *   unclear failure):
 *   - found → `published` with the remote id, URL and time;
 *   - not found, deadline not come → `retrying`, due now;
 *   - not found, deadline passed → `expired` + alert;
 * - a read fails (early or settled) → stays `unknown`, read again later with
 *   backoff; once the deadline has passed, one `reconcile-undecided` alert (a
 *   human decides).
 *
 * Several instances on one database see the same unknown posts. Every decision
 * is guarded by the post's `attempts` counter (reconcile-store.ts), so a post
 * is settled once whoever reads; but each read-back is an API call (paid per
 * read on X, rate-limited everywhere), so one instance reads a channel back per
 * slot of READ_SLOT_MS (a `job_runs` row per channel and slot, its holder may
 * read again within it), and the others wait for the next slot: by then the
 * holder has settled what it could. A holder that dies costs one slot at most.
 */
import type { Channel, RemotePost } from '../channels/channel';
import { toPublishError } from '../channels/publish-error';
import { postLogger, type Logger } from '../logger';
import type { Store } from '../store/open';
import { findHeldRemoteIds, listUnknownPosts, markReconciledNotFound, markReconciledPublished, type UnknownPost } from '../store/reconcile-store';
import type { LedgerPost } from '../store/types';
import type { Alert } from './alerts';
import { matchRemotePosts, type ReconcileCandidate } from './reconcile-match';
import { deadlineSignal } from '../time/deadline-signal';
import { finishJobRun, holdJobRun } from '../store/job-runs';

/** Timing of reconciliation; every field has a default. */
export interface ReconcileSettings {
  /**
   * "Not found" is believed only this long after the unclear failure: platforms are
   * eventually consistent. (The early read before it can only find a post.)
   */
  settleMs: number;
  /** Read back from this long before the earliest due time (or first attempt) of a channel's unknown posts. */
  sinceMarginMs: number;
  /** A remote post may be this much older than the first attempt's start (our clock vs the platform's). */
  clockSkewMs: number;
  /** Wait after a failed read-back; doubles with each further failure of that channel... */
  retryBaseMs: number;
  /** ...up to this. */
  retryMaxMs: number;
  /** A read-back that takes longer counts as failed. */
  readBackTimeoutMs: number;
}

export const DEFAULT_RECONCILE_SETTINGS: ReconcileSettings = {
  settleMs: 20_000,
  sinceMarginMs: 10 * 60_000,
  clockSkewMs: 2 * 60_000,
  retryBaseMs: 15_000,
  retryMaxMs: 10 * 60_000,
  readBackTimeoutMs: 30_000,
};

export interface ReconcilerDeps {
  store: Store;
  logger: Logger;
  alert: (alert: Alert) => void;
  /** The channels configured right now (they change on a config reload). */
  channels: () => ReadonlyMap<string, Channel>;
  /** Recorded on the attempts rows this writes. */
  owner: string;
  settings?: Partial<ReconcileSettings>;
  /** An AbortSignal that fires after `ms` (default AbortSignal.timeout; tests inject their own). */
  timeoutSignal?: (ms: number) => AbortSignal;
}

export interface Reconciler {
  /** One pass at `now`; returns how many posts it settled (published, retrying, expired). */
  run(now: Date): Promise<number>;
  /** When a pass next has something to do: null when no post is unknown. */
  nextAt(now: Date): Promise<Date | null>;
}

const LIST_LIMIT = 200;
/** One instance reads a channel back per slot this long. */
export const READ_SLOT_MS = 10_000;
export const RECONCILE_READ_JOB = 'reconcile-read';

/** An unknown post due a read this pass; `early`: before its settle time, so only "found" counts. */
interface ReadCandidate extends UnknownPost {
  early: boolean;
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const settings = { ...DEFAULT_RECONCILE_SETTINGS, ...deps.settings };
  const timeoutSignal = deps.timeoutSignal ?? ((ms: number) => deadlineSignal(ms));
  /**
   * When this process first saw each unknown post (`id#revision#attempts`).
   * The settle delay counts from the earlier of this and the row's update
   * time, so a row stamped oddly (e.g. far in the future by a start-up sweep)
   * still settles, and a post found on restart is not held back again.
   */
  const firstSeen = new Map<string, number>();
  /**
   * Posts (`id#revision#attempts`) whose early read answered: not read again
   * before they settle. A read that failed does not count; the channel's
   * backoff spaces the next try.
   */
  const earlyRead = new Set<string>();
  /** Per channel: consecutive failed read-backs and when to try again. */
  const readFailures = new Map<string, { count: number; retryAt: number }>();
  /** Per channel: another instance holds the read-back slot until then. */
  const otherReader = new Map<string, number>();
  /** Undecided posts already reported (`id#revision#attempts`): one alert each. */
  const reportedUndecided = new Set<string>();

  const keyOf = (post: LedgerPost): string => `${post.id}#${post.revision}#${post.attempts}`;

  function settledAt(post: LedgerPost, now: number): number {
    const key = keyOf(post);
    let seen = firstSeen.get(key);
    if (seen === undefined) {
      seen = now;
      firstSeen.set(key, seen);
    }
    return Math.min(post.updatedAt.getTime(), seen) + settings.settleMs;
  }

  function readableAt(channelId: string): number {
    return Math.max(readFailures.get(channelId)?.retryAt ?? 0, otherReader.get(channelId) ?? 0);
  }

  const slotOf = (channelId: string, now: Date) => ({ job: RECONCILE_READ_JOB, periodKey: `${channelId}|${Math.floor(now.getTime() / READ_SLOT_MS)}`, owner: deps.owner });

  /** Whether this instance reads `channelId` back in the current slot; if not, it waits for the next one. */
  async function holdsReadSlot(channelId: string, now: Date): Promise<boolean> {
    let held: boolean;
    try {
      held = await holdJobRun(deps.store, slotOf(channelId, now), now);
    } catch (error) {
      // Cannot coordinate: read anyway (a read twice costs less than a post left in doubt).
      deps.logger.warn({ channel: channelId, err: error }, 'reconciliation: could not claim the read-back slot; reading anyway');
      return true;
    }
    if (!held) otherReader.set(channelId, (Math.floor(now.getTime() / READ_SLOT_MS) + 1) * READ_SLOT_MS);
    return held;
  }

  async function readBack(channel: Channel, since: Date): Promise<RemotePost[]> {
    const signal = timeoutSignal(settings.readBackTimeoutMs);
    let onAbort: (() => void) | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      onAbort = () => reject(new Error(`reading the account back took longer than ${settings.readBackTimeoutMs / 1000} s`));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([channel.readBack(since), timedOut]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** The read failed or is impossible: back off; alert once per post whose deadline has passed. */
  function readFailed(channelId: string, posts: UnknownPost[], reason: string, now: Date): void {
    const count = (readFailures.get(channelId)?.count ?? 0) + 1;
    const wait = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** (count - 1));
    readFailures.set(channelId, { count, retryAt: now.getTime() + wait });
    deps.logger.warn({ channel: channelId, posts: posts.map((u) => u.post.id), failures: count, reason }, 'reconciliation: reading the account back failed; will try again');
    for (const { post } of posts) {
      if (!post.deadline || post.deadline > now) continue;
      const key = keyOf(post);
      if (reportedUndecided.has(key)) continue;
      reportedUndecided.add(key);
      deps.alert({
        kind: 'reconcile-undecided',
        post,
        message: `could not tell whether ${describePost(post)} went out: its publish call had an unclear outcome and reading the ${post.channelId} account back keeps failing (${reason}); its deadline ${post.deadline.toISOString()} has passed. Check the account by hand: if the post is there, nothing more to do; if not, post it by hand only if it still matters. It stays "unknown" in the ledger and is never re-sent automatically.`,
      });
    }
  }

  /**
   * A channel whose receiver de-duplicates a resend (`Channel.resendsSafely`:
   * the webhook's stable webhook-id) needs no read-back: while a post is on
   * time it is simply sent again, at once; past its deadline nobody can say
   * whether it arrived, so it stays `unknown` with one alert — never "expired,
   * not found", which would be a guess.
   */
  async function resendSafely(channel: Channel, posts: readonly UnknownPost[], now: Date): Promise<number> {
    let moved = 0;
    const context = { now, owner: deps.owner };
    for (const { post } of posts) {
      if (post.deadline && post.deadline <= now) {
        const key = keyOf(post);
        if (reportedUndecided.has(key)) continue;
        reportedUndecided.add(key);
        deps.alert({
          kind: 'reconcile-undecided',
          post,
          message: `could not tell whether ${describePost(post)} reached ${channel.id}: its send had an unclear outcome and its deadline ${post.deadline.toISOString()} passed before it could be sent again. Ask the receiver's owner whether it arrived (its webhook-id names the post); it stays "unknown" in the ledger and is never re-sent automatically.`,
        });
        continue;
      }
      const key = { id: post.id, revision: post.revision, attempts: post.attempts };
      const note = 'unclear outcome: sent again with the same idempotency key (the receiver de-duplicates)';
      if (await markReconciledNotFound(deps.store, key, { state: 'retrying', retryAt: now, note }, context)) {
        moved += 1;
        postLogger(deps.logger, post).warn('reconciliation: unclear outcome on a channel that de-duplicates resends; sending it again with the same key');
      }
    }
    return moved;
  }

  async function settle(channel: Channel, posts: ReadCandidate[], now: Date): Promise<number> {
    const since = new Date(Math.min(...posts.map(({ post, firstAttemptAt }) => Math.min(post.dueAt.getTime(), firstAttemptAt?.getTime() ?? Infinity))) - settings.sinceMarginMs);
    let remote: RemotePost[];
    try {
      remote = await readBack(channel, since);
    } catch (error) {
      readFailed(channel.id, posts, toPublishError(error).message, now);
      return 0;
    }
    readFailures.delete(channel.id);
    for (const { post, early } of posts) if (early) earlyRead.add(keyOf(post));
    const held = await findHeldRemoteIds(deps.store, channel.id, remote.map((r) => r.remoteId));
    const candidates: ReconcileCandidate[] = posts.map(({ post, firstAttemptAt }) => ({
      key: keyOf(post),
      text: sentText(post),
      notBefore: new Date((firstAttemptAt ?? post.dueAt).getTime() - settings.clockSkewMs),
    }));
    const matches = matchRemotePosts(candidates, remote, held);
    let moved = 0;
    const context = { now, owner: deps.owner };
    for (const { post, early } of posts) {
      const key = { id: post.id, revision: post.revision, attempts: post.attempts };
      const found = matches.get(keyOf(post));
      if (found) {
        if (await markReconciledPublished(deps.store, key, { remoteId: found.remoteId, url: found.url, publishedAt: found.publishedAt }, context)) {
          moved += 1;
          postLogger(deps.logger, post).info({ remoteId: found.remoteId, early }, 'reconciliation: the post is on the account; recorded as published');
        }
      } else if (early) {
        // Not there yet proves nothing before the settle time: it may still appear.
        // Left untouched (never re-sent from here); the settled read decides.
      } else if (post.deadline && post.deadline <= now) {
        const expired = await markReconciledNotFound(deps.store, key, { state: 'expired', note: 'not found on the account after an unclear publish attempt, and the deadline has passed' }, context);
        if (expired) {
          moved += 1;
          deps.alert({
            kind: 'expired',
            post: expired,
            message: `${describePost(post)} is not on the ${post.channelId} account (its publish call had an unclear outcome) and its deadline ${post.deadline.toISOString()} has passed: it expired and was not re-sent; post it by hand if it still matters`,
          });
        }
      } else {
        const retrying = await markReconciledNotFound(deps.store, key, { state: 'retrying', retryAt: now, note: 'not found on the account after an unclear publish attempt: sending again' }, context);
        if (retrying) {
          moved += 1;
          postLogger(deps.logger, post).warn('reconciliation: the post is not on the account; sending it again');
        }
      }
      // The settle clock keeps running after an early read: only the settled read ends it.
      if (!early) firstSeen.delete(keyOf(post));
    }
    return moved;
  }

  return {
    async run(now) {
      const unknown = await listUnknownPosts(deps.store, { limit: LIST_LIMIT });
      const live = new Set(unknown.map(({ post }) => keyOf(post)));
      for (const key of firstSeen.keys()) if (!live.has(key)) firstSeen.delete(key);
      for (const key of earlyRead) if (!live.has(key)) earlyRead.delete(key);

      const configured = deps.channels();
      let resent = 0;
      const safe = unknown.filter(({ post }) => configured.get(post.channelId)?.resendsSafely === true);
      for (const channelId of new Set(safe.map(({ post }) => post.channelId))) {
        resent += await resendSafely(configured.get(channelId)!, safe.filter(({ post }) => post.channelId === channelId), now);
      }

      // Settled posts, and unsettled ones not early-read yet, share their channel's one read.
      const byChannel = new Map<string, ReadCandidate[]>();
      for (const entry of unknown) {
        if (configured.get(entry.post.channelId)?.resendsSafely === true) continue;
        const early = settledAt(entry.post, now.getTime()) > now.getTime();
        if (early && earlyRead.has(keyOf(entry.post))) continue;
        const list = byChannel.get(entry.post.channelId) ?? [];
        list.push({ ...entry, early });
        byChannel.set(entry.post.channelId, list);
      }
      const channels = configured;
      let moved = resent;
      for (const [channelId, posts] of byChannel) {
        if (readableAt(channelId) > now.getTime()) continue;
        const channel = channels.get(channelId);
        if (!channel) {
          readFailed(channelId, posts, `channel "${channelId}" is no longer configured`, now);
          continue;
        }
        if (!(await holdsReadSlot(channelId, now))) continue;
        moved += await settle(channel, posts, now);
        await finishJobRun(deps.store, slotOf(channelId, now), now).catch(() => undefined);
      }
      return moved;
    },

    async nextAt(now) {
      const unknown = await listUnknownPosts(deps.store, { limit: LIST_LIMIT });
      if (unknown.length === 0) return null;
      // A post not early-read yet wants a read now; the others wait for their settle time.
      const wantsRead = ({ post }: UnknownPost): number => (earlyRead.has(keyOf(post)) ? settledAt(post, now.getTime()) : now.getTime());
      const at = Math.min(...unknown.map((entry) => Math.max(wantsRead(entry), readableAt(entry.post.channelId))));
      return new Date(at);
    },
  };
}

/** The text the channel was given (the rendered caption). */
function sentText(post: LedgerPost): string {
  if (post.renderedJson === null) return '';
  return (JSON.parse(post.renderedJson) as { text?: string }).text ?? '';
}

function describePost(post: LedgerPost): string {
  return `${post.id} (${post.channelId}, ${post.ruleId}, due ${post.dueAt.toISOString()})`;
}
