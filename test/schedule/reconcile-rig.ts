/**
 * A scheduler on a real ledger with real channel drivers, for the
 * reconciliation tests: posts are seeded `ready` with a rendered text (and
 * cards), the clock is virtual (the fake platforms follow it), and publish
 * timeouts are AbortControllers the test fires itself (no real waiting).
 */
import path from 'node:path';
import { loadAll, type Loaded } from '../../src/app/load-all';
import type { Channel } from '../../src/channels/channel';
import type { VirtualClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import type { RenderedMedia } from '../../src/render/types';
import type { Alert } from '../../src/schedule/alerts';
import { createScheduler, type Scheduler } from '../../src/schedule/scheduler';
import { getAttempts, getPostHistory, markRendered } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { syncPlan } from '../../src/store/sync-plan';
import type { LedgerPost } from '../../src/store/types';
import { REPO_ROOT } from '../support/cli';
import { buildPost } from '../store/post-builder';

export interface SeedPost {
  n: number;
  channelId: string;
  text: string;
  media?: RenderedMedia[];
  dueAt: Date;
  deadline: Date | null;
}

export interface ReconcileRig {
  scheduler: Scheduler;
  alerts: Alert[];
  /** One per publish or read-back call, in order: abort one to make that call time out. */
  timeouts: AbortController[];
  /** The time each of those calls was given, in ms. */
  timeoutMs: number[];
  seed(posts: SeedPost[]): Promise<void>;
  /**
   * Sets the clock and ticks like the schedule loop: again at once while a
   * tick moved something (a post reconciliation sends again is due now).
   * Returns how many posts moved in all.
   */
  tickAt(instant: Date): Promise<number>;
  post(n: number): Promise<LedgerPost>;
  outcomes(n: number): Promise<(string | null)[]>;
}

const SETTLE_MS = 20_000;

/** The sample office loaded at each start time: every test of a file starts at the same one, and loading is the rig's slowest part. */
const sampleLoads = new Map<number, Loaded>();

function sampleLoadedAt(now: Date): Loaded {
  let loaded = sampleLoads.get(now.getTime());
  if (!loaded) {
    loaded = loadAll(path.join(REPO_ROOT, 'config'), { now }).loaded!;
    sampleLoads.set(now.getTime(), loaded);
  }
  return loaded;
}

export function createReconcileRig(options: { store: Store; clock: VirtualClock; channels: Channel[]; mediaRoot: string }): ReconcileRig {
  const loaded = sampleLoadedAt(options.clock.now());
  const channels = new Map(options.channels.map((c) => [c.id, c]));
  const runtime = { config: loaded.config, templates: loaded.templates, channels, generation: 1 };
  const alerts: Alert[] = [];
  const timeouts: AbortController[] = [];
  const timeoutMs: number[] = [];
  const scheduler = createScheduler({
    store: options.store,
    clock: options.clock,
    logger: createSilentLogger(),
    runtime: () => runtime,
    owner: 'reconcile-test',
    mediaRoot: options.mediaRoot,
    alert: (alert) => alerts.push(alert),
    random: () => 0.5,
    reconcile: { settleMs: SETTLE_MS },
    timeoutSignal: (ms) => {
      const controller = new AbortController();
      timeouts.push(controller);
      timeoutMs.push(ms);
      return controller.signal;
    },
  });
  const postId = (n: number): string => `post-${n}`;

  return {
    scheduler,
    alerts,
    timeouts,
    timeoutMs,
    async seed(posts) {
      const planned = posts.map((p) => buildPost({ n: p.n, channelId: p.channelId, dueAt: p.dueAt, deadline: p.deadline }));
      const earliest = Math.min(...posts.map((p) => p.dueAt.getTime()));
      await syncPlan(options.store, planned, { from: new Date(earliest - 86_400_000), to: new Date(earliest + 86_400_000) }, new Date(earliest - 3_600_000));
      for (const p of posts) {
        await markRendered(options.store, { id: postId(p.n), revision: 1 }, JSON.stringify({ text: p.text, media: p.media ?? [] }));
      }
    },
    async tickAt(instant) {
      options.clock.set(instant);
      let total = 0;
      for (let ticks = 0; ticks < 10; ticks += 1) {
        const moved = await scheduler.tick();
        if (moved === 0) return total;
        total += moved;
      }
      throw new Error('the scheduler kept moving posts for 10 ticks at one instant');
    },
    async post(n) {
      const [current] = (await getPostHistory(options.store, postId(n))).filter((p) => p.state !== 'superseded');
      if (!current) throw new Error(`no post ${postId(n)}`);
      return current;
    },
    async outcomes(n) {
      return (await getAttempts(options.store, postId(n))).map((a) => a.outcome);
    },
  };
}

/** `ms` after `instant`. */
export function after(instant: Date, ms: number): Date {
  return new Date(instant.getTime() + ms);
}
