/**
 * Tokens revoked mid-run: the next posts fail with an auth error, are not
 * retried into a wall, and each raises an alert that tells staff what to do.
 * The real scheduler loop on a virtual clock, the real drivers, the fakes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from '../../src/app/load-all';
import { replanInto } from '../../src/app/replan';
import { createInstagramChannel } from '../../src/channels/instagram/instagram-channel';
import { createXChannel } from '../../src/channels/x/x-channel';
import { createVirtualClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import { startMediaServer } from '../../src/media-server/media-server';
import type { Alert } from '../../src/schedule/alerts';
import { runScheduleLoop } from '../../src/schedule/run-loop';
import { createScheduler, type Runtime } from '../../src/schedule/scheduler';
import { getAttempts, listPosts } from '../../src/store/ledger';
import { openStore } from '../../src/store/open';
import { startFakeInstagramServer } from '../fakes/fake-instagram-server';
import { startFakeXServer } from '../fakes/fake-x-server';
import { REPO_ROOT } from '../support/cli';

const KEYS = { appKey: 'rv-key', appSecret: 'rv-secret', accessToken: '5-rv-token', accessSecret: 'rv-access-secret' };

describe('faults: tokens revoked while the bot runs', () => {
  it('stops on an auth error with one alert per post and no retries', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-revoked-'));
    const clock = createVirtualClock(new Date('2026-12-04T05:45:00Z'));
    const fakeX = await startFakeXServer({ ...KEYS, now: () => clock.now() });
    const fakeIg = await startFakeInstagramServer({ token: 'rv-ig-token', now: () => clock.now(), pollsUntilFinished: 1 });
    const media = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://127.0.0.1' });
    const store = await openStore({ dataDir: dir });
    try {
      const logger = createSilentLogger();
      const loaded = loadAll(path.join(REPO_ROOT, 'config'), { now: clock.now() }).loaded!;
      const env = { X_APP_KEY: KEYS.appKey, X_APP_SECRET: KEYS.appSecret, X_ACCESS_TOKEN: KEYS.accessToken, X_ACCESS_SECRET: KEYS.accessSecret, IG_ACCESS_TOKEN: 'rv-ig-token' };
      const deps = { clock, logger, outboxDir: dir, env, fetch, stateDir: dir, publicMediaUrl: (f: string) => media.publicUrl(f).replace('http://127.0.0.1', media.address) };
      const location = { file: 'herald.yaml', line: 1, col: 1 };
      const channels = new Map([
        ['x', createXChannel({ id: 'x', driver: 'x', platform: 'x', baseUrl: fakeX.url, credentials: {}, enabled: true, location }, deps)],
        ['instagram', createInstagramChannel({ id: 'instagram', driver: 'instagram', platform: 'instagram', baseUrl: fakeIg.url, accountId: fakeIg.accountId, credentials: { accessToken: 'IG_ACCESS_TOKEN' }, enabled: true, location }, deps, { poll: { initialDelayMs: 1, maxDelayMs: 2 } })],
      ]);
      const runtime: Runtime = { config: loaded.config, templates: loaded.templates, channels, generation: 1 };
      const alerts: Alert[] = [];
      const scheduler = createScheduler({ store, clock, logger, runtime: () => runtime, owner: 't', mediaRoot: dir, alert: (a) => alerts.push(a), random: () => 0.5 });
      await replanInto(store, loaded.config, clock.now());
      const loop = (until: string): Promise<void> =>
        runScheduleLoop({ scheduler, clock, logger, signal: new AbortController().signal, until: new Date(until), maxChunkMs: 30_000, renderAheadMs: () => 600_000 });

      await loop('2026-12-04T06:01:00Z'); // 13.01 WIB: the h-60m posts are out
      expect(fakeX.tweets).toHaveLength(1);
      expect(fakeIg.published).toHaveLength(1);

      fakeX.revokeToken();
      fakeIg.revokeToken();
      await loop('2026-12-04T07:10:00Z'); // past the 14.00 openings
      expect(fakeX.tweets).toHaveLength(1);
      expect(fakeIg.published).toHaveLength(1);
      const dead = await listPosts(store, { states: ['dead'] });
      expect(dead.map((p) => `${p.ruleId} ${p.channelId}`).sort()).toEqual(['opening instagram', 'opening x']);
      for (const post of dead) expect(await getAttempts(store, post.id)).toHaveLength(1);
      const auth = alerts.filter((a) => a.kind === 'auth');
      expect(auth).toHaveLength(2);
      expect(auth.find((a) => a.post?.channelId === 'x')!.message).toMatch(/auth.*(token|credential)/i);
      expect(auth.find((a) => a.post?.channelId === 'instagram')!.message).toMatch(/auth.*token/i);
      for (const alert of alerts) expect(alert.message).not.toMatch(/rv-secret|rv-access-secret|5-rv-token|rv-ig-token/);
    } finally {
      await store.close();
      await media.close();
      await fakeX.close();
      await fakeIg.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
