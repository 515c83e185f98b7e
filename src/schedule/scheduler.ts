/**
 * The thin, stateful part of scheduling: each `tick` sweeps leases and
 * deadlines, renders what is due and not rendered yet, claims and publishes
 * what is due, renders what falls due soon, then reconciles posts of unclear
 * outcome (reconcile.ts).
 * All decisions live in pure functions (next-wake, retry-policy) and in the
 * ledger's atomic claims; this file only wires them to a clock and channels.
 */
import type { Channel } from '../channels/channel';
import { CardMissingError } from '../channels/card-bytes';
import { toPublishError } from '../channels/publish-error';
import type { Clock } from '../clock';
import type { Config } from '../config/types';
import { postLogger, type Logger } from '../logger';
import type { TemplateSet } from '../render/templates';
import { returnForRender } from '../store/card-store';
import type { Store } from '../store/open';
import type { LedgerPost } from '../store/types';
import {
  claimDue,
  expireOverdue,
  LeaseLostError,
  markAttemptPhase,
  markFailed,
  markPublished,
  nextWake,
  releaseExpiredLeases,
} from '../store/ledger';
import { decideAfterFailure } from './retry-policy';
import { createRenderAhead } from './render-ahead';
import { requestFor } from './ledger-post';
import type { Alert } from './alerts';
import type { AttemptOrdinal, PublishFailureKind, PublishObserver } from './publish-observer';
import { createReconciler, type ReconcileSettings } from './reconcile';
import { deadlineSignal } from '../time/deadline-signal';
import { isDatabaseUnreachable } from '../store/outage';
import { isApproved, takeUnapprovedPastCutoff } from '../store/approvals';

/** What can change when staff edit the config: swapped as a whole on a valid reload. */
export interface Runtime {
  config: Config;
  templates: TemplateSet;
  /** Many offices: each office's templates by office id (else `templates` serves all). */
  officeTemplates?: ReadonlyMap<string, TemplateSet>;
  channels: ReadonlyMap<string, Channel>;
  /** Bumped on every reload so failed renders are tried again with the new templates. */
  generation: number;
}

export interface SchedulerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  runtime: () => Runtime;
  /** Identifies this process in leases. */
  owner: string;
  /** Rendered media are written below this directory. */
  mediaRoot: string;
  /**
   * Store card bytes in the ledger with each rendering (default true), so any
   * instance can publish and serve them. `simulate` turns it off: its scratch
   * ledger is thrown away, and its cards are only wanted on disk.
   */
  storeCards?: boolean;
  leaseMs?: number;
  publishTimeoutMs?: number;
  /**
   * How long a publish attempt usually takes, start to post on the account
   * (default 15 s, at most publishTimeoutMs). A retry is never scheduled so
   * late that it could not finish before the post's deadline (retry-policy.ts).
   */
  attemptEstimateMs?: number;
  random?: () => number;
  alert: (alert: Alert) => void;
  /** Reconciliation timing (settle delay, read-back margins); defaults in reconcile.ts. */
  reconcile?: Partial<ReconcileSettings>;
  /**
   * An AbortSignal that fires after `ms`: bounds each publish and read-back.
   * Default AbortSignal.timeout (real time); tests inject one they control.
   */
  timeoutSignal?: (ms: number) => AbortSignal;
  /** Told each attempt's outcome and lag, for /metrics (metrics/bot-metrics.ts); default: nobody. */
  observer?: PublishObserver;
}

export interface Scheduler {
  /** Returns how many posts it moved (rendered, published, failed, expired). */
  tick(): Promise<number>;
  nextEvents(): Promise<{ nextDue: Date | null; nextToRender: Date | null }>;
}

/**
 * Posts one instance publishes at once, across its channels: at a busy minute
 * (125 offices opening at 14.00) every post goes out at once, not in batches.
 */
const MAX_IN_FLIGHT = 256;
/** An image post with container processing (Instagram) takes a few seconds; leave room for a slow platform. */
const DEFAULT_ATTEMPT_ESTIMATE_MS = 15_000;

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const leaseMs = deps.leaseMs ?? 120_000;
  const publishTimeoutMs = deps.publishTimeoutMs ?? 60_000;
  const attemptMs = Math.min(publishTimeoutMs, deps.attemptEstimateMs ?? DEFAULT_ATTEMPT_ESTIMATE_MS);
  const random = deps.random ?? Math.random;
  const timeoutSignal = deps.timeoutSignal ?? ((ms: number) => deadlineSignal(ms));
  const renderAhead = createRenderAhead(deps);
  const observer = deps.observer;
  /** Seconds from the post's due time to now. */
  const lagSeconds = (post: LedgerPost): number => (deps.clock.now().getTime() - post.dueAt.getTime()) / 1000;
  /** The claim counted this attempt: the first is 1. */
  const ordinal = (post: LedgerPost): AttemptOrdinal => (post.attempts <= 1 ? 'first' : 'retry');
  const finished = (platform: string, failure: PublishFailureKind | null): void => observer?.attemptFinished(platform, failure);
  const reconciler = createReconciler({
    store: deps.store,
    logger: deps.logger,
    alert: deps.alert,
    channels: () => deps.runtime().channels,
    owner: deps.owner,
    timeoutSignal,
    ...(deps.reconcile ? { settings: deps.reconcile } : {}),
  });

  async function sweep(now: Date): Promise<number> {
    const unclear = await releaseExpiredLeases(deps.store, now);
    const expired = await expireOverdue(deps.store, now);
    for (const post of unclear) {
      // Not an alert: reconciliation reads the account back and decides; it alerts when it cannot.
      postLogger(deps.logger, post).warn('the publish call did not finish (its holder stopped mid-call): outcome unknown, will reconcile');
    }
    for (const post of expired) {
      deps.alert({
        kind: 'expired',
        post,
        message: `${describe(post)} could not go out before its deadline ${post.deadline?.toISOString()} and expired; post it by hand if it still matters${post.lastError ? ` (last error: ${post.lastError})` : ''}${post.approveBy && !(await isApproved(deps.store, post)) ? ' (it was never approved: it needed a staff approval)' : ''}`,
      });
    }
    // Once per post revision across the cluster: the store marks each as alerted in the same statement.
    const unapproved = await takeUnapprovedPastCutoff(deps.store, now);
    for (const post of unapproved) {
      deps.alert({
        kind: 'unapproved',
        post,
        message: `${describe(post)} needed a staff approval by ${post.approveBy?.toISOString()} and has none${post.contentHash === null ? ' (it is not rendered yet)' : ''}: it is held and never sent unapproved. Approve it in the console before its deadline ${post.deadline?.toISOString() ?? '(none)'} to let it go out, or skip it`,
      });
    }
    return unclear.length + expired.length + unapproved.length;
  }

  /**
   * Outcomes known but not yet in the ledger because the database was
   * unreachable when they were recorded: the platform call is never repeated
   * for them; the write is retried first thing at every tick until it lands.
   */
  const unrecorded = new Map<string, { post: LedgerPost; write: () => Promise<void> }>();

  async function record(post: LedgerPost, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isDatabaseUnreachable(error)) throw error;
      unrecorded.set(`${post.id}#${post.revision}`, { post, write });
      postLogger(deps.logger, post).error('the outcome of this post is known but the database is unreachable: kept in memory and recorded when it is back (the post is not sent again)');
      // Stop the tick: nothing more is claimed or sent while outcomes cannot be recorded.
      throw error;
    }
  }

  async function recordPending(): Promise<void> {
    for (const [key, { post, write }] of unrecorded) {
      try {
        await write();
        postLogger(deps.logger, post).info('recorded an outcome kept in memory during the database outage');
      } catch (error) {
        if (isDatabaseUnreachable(error)) throw error;
        // The post moved on meanwhile (a reconciliation found it on the account): nothing to record.
        postLogger(deps.logger, post).warn({ err: error }, 'an outcome kept during the database outage could not be recorded');
      }
      unrecorded.delete(key);
    }
  }

  async function publishOne(channel: Channel, post: LedgerPost): Promise<void> {
    const claim = { id: post.id, revision: post.revision, owner: deps.owner };
    const log = postLogger(deps.logger, post);
    const platform = channel.driver;
    /** The checkpoint could not reach the database: the driver stopped before sending anything. */
    let checkpointFailed = false;
    const checkpoint = async (phase: 'sending'): Promise<void> => {
      try {
        await markAttemptPhase(deps.store, claim, phase);
        // The request that creates the post goes out next: its first byte is this late.
        observer?.sending(platform, lagSeconds(post), ordinal(post));
      } catch (error) {
        if (!(error instanceof LeaseLostError)) checkpointFailed = true;
        throw error;
      }
    };
    const request = { ...requestFor(post, deps.mediaRoot), checkpoint };
    // The call is aborted when the deadline comes, whatever the timeout: no step of it
    // (an Instagram media_publish after a slow container) may start late.
    const leftMs = post.deadline ? post.deadline.getTime() - deps.clock.now().getTime() : Infinity;
    if (leftMs <= 0) {
      const reason = 'its deadline passed while it waited for its turn on the channel, before the call started';
      finished(platform, 'deadline-passed');
      await record(post, () => markFailed(deps.store, claim, { state: 'expired', error: reason, retryAt: null }, deps.clock.now()));
      deps.alert({ kind: 'expired', post, message: `${describe(post)} was not sent: ${reason}. Post it by hand if it still matters` });
      return;
    }
    let result: Awaited<ReturnType<Channel['publish']>>;
    try {
      result = await channel.publish(request, timeoutSignal(Math.min(publishTimeoutMs, leftMs)));
    } catch (thrown) {
      if (thrown instanceof CardMissingError) {
        // Nothing was sent (drivers read cards before their checkpoint): draw the card again, here.
        finished(platform, 'card-missing');
        await returnForRender(deps.store, claim, thrown.message, deps.clock.now());
        log.warn({ file: thrown.file }, 'card missing on this instance and in the database: rendering the post again');
        return;
      }
      if (thrown instanceof LeaseLostError) {
        // A checkpoint found the post in other hands (our lease ran out): the driver sent nothing more.
        finished(platform, 'lease-lost');
        log.warn({ state: thrown.message }, 'lost the post before sending it; leaving it to its new holder');
        return;
      }
      if (checkpointFailed) {
        // Nothing that creates the post went out: due again at once, when the database is back.
        const now = deps.clock.now();
        finished(platform, 'database-unreachable');
        await record(post, () => markFailed(deps.store, claim, { state: 'retrying', error: 'the database was unreachable before sending; nothing was sent', retryAt: now }, now));
        return;
      }
      await recordFailure(post, claim, thrown, platform);
      return;
    }
    finished(platform, null);
    observer?.published(platform, (result.publishedAt.getTime() - post.dueAt.getTime()) / 1000, ordinal(post));
    // Recorded the moment it is known; nothing after this may fail the publish step.
    await record(post, () => markPublished(deps.store, claim, result));
    log.info({ rule: post.ruleId, remoteId: result.remoteId }, 'published');
  }

  async function recordFailure(post: LedgerPost, claim: { id: string; revision: number; owner: string }, thrown: unknown, platform: string): Promise<void> {
    const error = toPublishError(thrown);
    finished(platform, error.kind);
    const now = deps.clock.now();
    const decision = decideAfterFailure(error, { now, attempts: post.attempts, random, deadline: post.deadline, attemptMs });
    const failure = `${error.kind}: ${error.message}`;
    await record(post, () =>
      markFailed(deps.store, claim, { state: decision.state, error: decision.state === 'expired' ? `${failure} (${decision.reason})` : failure, retryAt: decision.retryAt }, now),
    );
    postLogger(deps.logger, post).warn({ kind: error.kind, status: error.status, state: decision.state, retryAt: decision.retryAt }, 'publish failed');
    // `unknown` is not alerted: reconciliation decides, and alerts when it cannot.
    if (decision.state === 'dead') {
      deps.alert({
        kind: error.kind === 'auth' ? 'auth' : 'dead',
        post,
        message: `${describe(post)} failed (${error.kind}): ${error.message}`,
      });
    }
    if (decision.state === 'expired') {
      deps.alert({
        kind: 'expired',
        post,
        message: `${describe(post)} failed (${error.message}) and cannot be tried again in time: ${decision.reason}. It expired and will not be sent; post it by hand if it still matters`,
      });
    }
  }

  /**
   * Claims everything due (up to MAX_IN_FLIGHT posts) in one query and
   * publishes it: each channel's posts in due order on its own lane, the lanes
   * in parallel, so a slow platform never holds up another channel's posts.
   * Claiming ahead is safe: a claim stays `preparing` until its driver's
   * checkpoint, and a `preparing` claim whose holder dies is simply due again
   * (store/claims.ts); the heartbeat renews the leases of posts queued here.
   * It claims once per tick, not again as lanes finish: the tick then renders,
   * sweeps and reconciles before the next claim (a pool that kept claiming
   * starved rendering while a backlog drained, in the crash test). Resolves
   * when every lane is done; rethrows the first failure (a database outage).
   */
  async function publishDue(now: Date): Promise<number> {
    const { channels } = deps.runtime();
    const claimed = await claimDue(deps.store, { now, owner: deps.owner, leaseMs, limit: MAX_IN_FLIGHT });
    const lanes = new Map<string, LedgerPost[]>();
    for (const post of claimed) lanes.set(post.channelId, [...(lanes.get(post.channelId) ?? []), post]);
    const outcomes = await Promise.allSettled(
      [...lanes].map(async ([channelId, posts]) => {
        for (const post of posts) await publishClaimed(post, channels.get(channelId));
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return claimed.length;
  }

  async function publishClaimed(post: LedgerPost, channel: Channel | undefined): Promise<void> {
    if (channel) return publishOne(channel, post);
    finished('unknown', 'no-channel');
    postLogger(deps.logger, post).error('the post\'s channel is no longer configured: it is dead');
    await markFailed(deps.store, { id: post.id, revision: post.revision, owner: deps.owner }, {
      state: 'dead',
      error: `channel "${post.channelId}" is no longer configured`,
      retryAt: null,
    }, deps.clock.now());
  }

  return {
    async tick() {
      // First: outcomes a database outage kept from the ledger (before a sweep could call them unknown).
      await recordPending();
      const swept = await sweep(deps.clock.now());
      // What is due goes out before any card for later is drawn: a bot restarted with a
      // window of cards still to draw (after a crash, or a re-plan) would otherwise spend
      // the first seconds, on a busy machine many, drawing later posts' cards while a due
      // post waits (the crash test under load). Only due posts not yet rendered are drawn first.
      const renderedDue = await renderAhead(deps.clock.now(), { dueOnly: true });
      const published = await publishDue(deps.clock.now());
      const rendered = renderedDue + (await renderAhead(deps.clock.now()));
      // After publishing, so a slow read-back never delays a post that is due. A post
      // the read-back did not find is due at once: the loop ticks again without sleeping.
      const reconciled = await reconciler.run(deps.clock.now());
      // A post sent back for a missing card is rendered on the next tick, at once.
      return swept + rendered + published + reconciled;
    },
    async nextEvents() {
      const now = deps.clock.now();
      const [{ nextApproval, ...events }, reconcileAt] = await Promise.all([nextWake(deps.store, now), reconciler.nextAt(now)]);
      // An approval cut-off to alert at, or posts to render for review, wake the loop like a due post.
      const nextDue = [events.nextDue, reconcileAt, nextApproval ?? null].reduce<Date | null>((earliest, at) => (at && (!earliest || at < earliest) ? at : earliest), null);
      return { ...events, nextDue };
    },
  };
}

export function describe(post: Pick<LedgerPost, 'id' | 'channelId' | 'ruleId' | 'dueAt'>): string {
  return `${post.id} (${post.channelId}, ${post.ruleId}, due ${post.dueAt.toISOString()})`;
}
