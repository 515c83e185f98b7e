/**
 * Two bot instances on one ledger, each with its own data directory (as on two
 * machines), for the "cards from any instance" tests (issue 8): the real
 * scheduler, render-ahead, media server and the real X and Instagram drivers
 * against the fake platforms, on one virtual clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll, type Loaded } from '../../src/app/load-all';
import { planAll } from '../../src/app/plan-all';
import { createCardReader } from '../../src/channels/card-bytes';
import type { Channel, ChannelDeps } from '../../src/channels/channel';
import { createInstagramChannel } from '../../src/channels/instagram/instagram-channel';
import { createOutboxChannels } from '../../src/channels/registry';
import { createXChannel } from '../../src/channels/x/x-channel';
import { createVirtualClock, type VirtualClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import { startMediaServer, type MediaServer } from '../../src/media-server/media-server';
import type { PlannedPost } from '../../src/plan/types';
import type { RenderedPost } from '../../src/render/types';
import type { Alert } from '../../src/schedule/alerts';
import { createScheduler, type Scheduler } from '../../src/schedule/scheduler';
import { getPostHistory } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { syncPlan } from '../../src/store/sync-plan';
import type { LedgerPost } from '../../src/store/types';
import { startFakeInstagramServer, type FakeInstagramServer } from '../fakes/fake-instagram-server';
import { startFakeXServer, type FakeXServer } from '../fakes/fake-x-server';
import { ENV as X_ENV, SECRETS as X_SECRETS, xConfig } from '../channels/x/x-harness';
import { FAST_POLL } from '../fakes/instagram/instagram-setup';
import { REPO_ROOT } from '../support/cli';

/** The sample office's h-60m posts of the opening on Friday 2026-11-27 14:00 WIB: due 06:00Z. */
export const DUE = new Date('2026-11-27T06:00:00Z');
const IG_TOKEN = 'IGAA-cluster-test-token';

export interface Instance {
  name: string;
  dataDir: string;
  scheduler: Scheduler;
  media: MediaServer;
  /** Ticks at `instant` like the schedule loop: again while a tick moved something. */
  tickAt(instant: Date): Promise<void>;
}

export interface ClusterRig {
  clock: VirtualClock;
  x: FakeXServer;
  instagram: FakeInstagramServer;
  alerts: Alert[];
  /** The planned X and Instagram posts, synced into the ledger. */
  posts: { x: PlannedPost; instagram: PlannedPost };
  /** An instance with its own data directory; `publishes: false` gives it outbox channels (it only renders). */
  instance(name: string, options?: { publishes?: boolean }): Promise<Instance>;
  current(id: string): Promise<LedgerPost>;
  rendered(id: string): Promise<RenderedPost>;
  close(): Promise<void>;
}

export async function startClusterRig(store: Store): Promise<ClusterRig> {
  const clock = createVirtualClock(new Date('2026-11-27T05:00:00Z'));
  const loaded: Loaded = loadAll(path.join(REPO_ROOT, 'config'), { now: clock.now() }).loaded!;
  const x = await startFakeXServer({ ...X_SECRETS, now: () => clock.now() });
  const instagram = await startFakeInstagramServer({ token: IG_TOKEN, now: () => clock.now(), pollsUntilFinished: 1 });
  const alerts: Alert[] = [];
  const closers: (() => Promise<void>)[] = [() => x.close(), () => instagram.close()];
  const dirs: string[] = [];

  const range = { from: new Date('2026-11-26T00:00:00Z'), to: new Date('2026-11-28T00:00:00Z') };
  const planned = planAll(loaded.config, range).posts.filter((p) => p.ruleId === 'h-60m' && p.dueAt.getTime() === DUE.getTime());
  const pick = (channelId: string): PlannedPost => {
    const post = planned.find((p) => p.channelId === channelId);
    if (!post) throw new Error(`the sample plan has no h-60m post on ${channelId} due ${DUE.toISOString()}: update the rig`);
    return post;
  };
  const posts = { x: pick('x'), instagram: pick('instagram') };
  await syncPlan(store, [posts.x, posts.instagram], range, clock.now());

  const current = async (id: string): Promise<LedgerPost> => {
    const post = (await getPostHistory(store, id)).find((p) => p.state !== 'superseded');
    if (!post) throw new Error(`no post ${id}`);
    return post;
  };

  return {
    clock,
    x,
    instagram,
    alerts,
    posts,
    current,
    async rendered(id) {
      const post = await current(id);
      if (!post.renderedJson) throw new Error(`post ${id} is not rendered (state ${post.state})`);
      return JSON.parse(post.renderedJson) as RenderedPost;
    },
    async instance(name, options = {}) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `herald-${name}-`));
      dirs.push(dataDir);
      const media = await startMediaServer({ rootDir: dataDir, stateDir: dataDir, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://placeholder', store });
      closers.push(() => media.close());
      const deps: ChannelDeps = {
        clock,
        logger: createSilentLogger(),
        outboxDir: dataDir,
        env: { ...X_ENV, IG_ACCESS_TOKEN: IG_TOKEN },
        fetch,
        stateDir: dataDir,
        readCard: createCardReader(store),
        // Instagram would reach the public address (a load balancer); the fake reaches this instance directly.
        publicMediaUrl: (file) => media.publicUrl(file).replace('http://placeholder', media.address),
      };
      const channels = new Map<string, Channel>(
        options.publishes === false
          ? createOutboxChannels(loaded.config.offices.flatMap((o) => o.channels), deps)
          : [
              ['x', createXChannel(xConfig({ baseUrl: x.url }), deps, { mediaPollDelayMs: 0 })],
              [
                'instagram',
                createInstagramChannel(
                  { id: 'instagram', driver: 'instagram', platform: 'instagram', baseUrl: instagram.url, credentials: { accessToken: 'IG_ACCESS_TOKEN' }, accountId: instagram.accountId, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
                  deps,
                  FAST_POLL,
                ),
              ],
            ],
      );
      closers.push(async () => {
        await Promise.all([...channels.values()].map((c) => c.close?.()));
      });
      const runtime = { config: loaded.config, templates: loaded.templates, channels, generation: 1 };
      const scheduler = createScheduler({
        store,
        clock,
        logger: createSilentLogger(),
        runtime: () => runtime,
        owner: name,
        mediaRoot: dataDir,
        alert: (alert) => alerts.push(alert),
        random: () => 0.5,
        // Publish calls are bounded by the test's own end, not by real timers.
        timeoutSignal: () => new AbortController().signal,
      });
      return {
        name,
        dataDir,
        scheduler,
        media,
        async tickAt(instant) {
          clock.set(instant);
          for (let ticks = 0; ticks < 10; ticks += 1) {
            if ((await scheduler.tick()) === 0) return;
          }
          throw new Error(`${name} kept moving posts for 10 ticks at one instant`);
        },
      };
    },
    async close() {
      for (const close of closers.reverse()) await close();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
