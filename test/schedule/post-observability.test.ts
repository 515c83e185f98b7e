/**
 * What operators see of a publish: the real scheduler, the real X and
 * Instagram drivers against the fake platforms, the real alert sink, one
 * virtual clock. An X post whose tweet call fails with a 503 (outcome unclear:
 * read back, not found, sent again), an Instagram post into an almost used-up
 * publishing limit, and a post that expired before it could go out.
 *
 * - every log line about a post carries `office`, `post` (its id) and `channel`
 *   (docs/operations.md, "Logs"), from the scheduler, the drivers, the
 *   reconciler and the alert sink alike;
 * - the bot's metrics count the attempts, failures, lags and alerts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAlertSink } from '../../src/app/alert-sink';
import { loadAll } from '../../src/app/load-all';
import { planAll } from '../../src/app/plan-all';
import type { Channel, ChannelDeps } from '../../src/channels/channel';
import { createInstagramChannel } from '../../src/channels/instagram/instagram-channel';
import { createXChannel } from '../../src/channels/x/x-channel';
import { createVirtualClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { registerBotMetrics } from '../../src/metrics/bot-metrics';
import { createMetricsRegistry } from '../../src/metrics/registry';
import { createScheduler } from '../../src/schedule/scheduler';
import { getPostHistory } from '../../src/store/ledger';
import { syncPlan } from '../../src/store/sync-plan';
import { startMediaServer } from '../../src/media-server/media-server';
import { startFakeInstagramServer } from '../fakes/fake-instagram-server';
import { startFakeXServer } from '../fakes/fake-x-server';
import { ENV as X_ENV, SECRETS as X_SECRETS, xConfig } from '../channels/x/x-harness';
import { FAST_POLL } from '../fakes/instagram/instagram-setup';
import { buildPost } from '../store/post-builder';
import { REPO_ROOT } from '../support/cli';
import { DIALECTS, useTestStore } from '../support/databases';
import { parseScrape, sampleValue } from '../support/prometheus';

/** The sample office's h-60m posts of the opening on Friday 2026-11-27 14:00 WIB. */
const DUE = new Date('2026-11-27T06:00:00Z');
const IG_TOKEN = 'IGAA-observability-test-token';

describe.each(DIALECTS)('schedule: observability of a publish (%s)', (dialect) => {
  const db = useTestStore(dialect);

  it('every line about a post names its office, post and channel; attempts, failures, lags and alerts are counted', async () => {
    const clock = createVirtualClock(new Date('2026-11-27T05:50:00Z'));
    // Both fakes follow the test's clock: tweets and media carry its time, as the read-back expects.
    const fakeX = await startFakeXServer({ ...X_SECRETS, now: () => clock.now() });
    const fakeIg = await startFakeInstagramServer({ token: IG_TOKEN, now: () => clock.now(), pollsUntilFinished: 1, quotaUsage: 48, quotaTotal: 50 });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-observability-'));
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
    const metrics = createMetricsRegistry();
    const bot = registerBotMetrics(metrics, { store: db.store, clock, logger, channels: () => [] });
    const alert = createAlertSink({ logger, store: db.store, now: () => clock.now(), onRaised: (raised) => bot.alertRaised(raised.kind) });
    const channels = new Map<string, Channel>();
    const media = await startMediaServer({ rootDir: dataDir, stateDir: dataDir, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://placeholder' });
    try {
      const loaded = loadAll(path.join(REPO_ROOT, 'config'), { now: clock.now() }).loaded!;
      const range = { from: new Date('2026-11-26T00:00:00Z'), to: new Date('2026-11-28T00:00:00Z') };
      const planned = planAll(loaded.config, range).posts.filter((p) => p.ruleId === 'h-60m' && p.dueAt.getTime() === DUE.getTime());
      expect(planned.map((p) => p.channelId).sort()).toEqual(['instagram', 'x']);
      // Due at 12.00 WIB, worthless from 12.30: the machine was off then.
      const late = buildPost({ n: 901, channelId: 'x', dueAt: new Date('2026-11-27T05:00:00Z'), deadline: new Date('2026-11-27T05:30:00Z') });
      // Planned in the morning, when it still mattered.
      await syncPlan(db.store, [...planned, late], range, new Date('2026-11-27T01:00:00Z'));
      const postOf = (channelId: string): string => planned.find((p) => p.channelId === channelId)!.id;

      const deps: ChannelDeps = {
        clock,
        logger,
        outboxDir: dataDir,
        env: { ...X_ENV, IG_ACCESS_TOKEN: IG_TOKEN },
        fetch,
        stateDir: dataDir,
        // Instagram would reach the public address; the fake reaches the media server directly.
        publicMediaUrl: (file) => media.publicUrl(file).replace('http://placeholder', media.address),
        alert: (kind, message, channelId) => alert({ kind, message, ...(channelId === undefined ? {} : { channelId }) }),
      };
      channels.set('x', createXChannel(xConfig({ baseUrl: fakeX.url }), deps, { mediaPollDelayMs: 0 }));
      channels.set(
        'instagram',
        createInstagramChannel(
          { id: 'instagram', driver: 'instagram', platform: 'instagram', baseUrl: fakeIg.url, credentials: { accessToken: 'IG_ACCESS_TOKEN' }, accountId: fakeIg.accountId, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
          deps,
          { ...FAST_POLL, readBackPages: 1 },
        ),
      );
      const runtime = { config: loaded.config, templates: loaded.templates, channels, generation: 1 };
      const scheduler = createScheduler({
        store: db.store,
        clock,
        logger,
        runtime: () => runtime,
        owner: 'observability-test',
        mediaRoot: dataDir,
        alert,
        observer: bot.publish,
        random: () => 0.5,
        reconcile: { settleMs: 20_000 },
        timeoutSignal: () => new AbortController().signal,
      });
      const tickAt = async (instant: Date): Promise<void> => {
        clock.set(instant);
        for (let ticks = 0; ticks < 10 && (await scheduler.tick()) > 0; ticks += 1);
      };

      // 12.50 WIB: the late post expires, the h-60m posts are rendered ahead.
      await tickAt(new Date('2026-11-27T05:50:00Z'));
      // 13.00 WIB: the tweet call fails with a 503 (unclear: it may have been posted); Instagram posts, one slot left.
      fakeX.faults.push({ route: 'POST /2/tweets', status: 503 });
      await tickAt(DUE);
      expect((await getPostHistory(db.store, postOf('x'))).at(-1)?.state).toBe('unknown');
      // The settled read-back does not find the tweet: it is sent again, and goes out.
      await tickAt(new Date(DUE.getTime() + 25_000));
      const states = async (id: string): Promise<string | undefined> => (await getPostHistory(db.store, id)).find((p) => p.state !== 'superseded')?.state;
      expect([await states(postOf('x')), await states(postOf('instagram')), await states(late.id)]).toEqual(['published', 'published', 'expired']);
      await alert.flush();

      // The log: JSON lines; a line about a post is one that names a post.
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const aboutPosts = entries.filter((entry) => 'post' in entry || 'postId' in entry);
      for (const entry of aboutPosts) {
        expect({ msg: entry.msg, office: typeof entry.office, post: typeof entry.post, channel: typeof entry.channel, postId: entry.postId }).toEqual({
          msg: entry.msg,
          office: 'string',
          post: 'string',
          channel: 'string',
          postId: undefined,
        });
      }
      const said = (msg: RegExp, post: string): Record<string, unknown>[] => aboutPosts.filter((entry) => msg.test(String(entry.msg)) && entry.post === post);
      const expected: [RegExp, string, string][] = [
        [/^publish failed$/, postOf('x'), 'x'],
        [/^reconciliation: the post is not on the account/, postOf('x'), 'x'],
        [/^posted to X$/, postOf('x'), 'x'],
        [/^published$/, postOf('x'), 'x'],
        [/^instagram publishing limit almost used up/, postOf('instagram'), 'instagram'],
        [/^published$/, postOf('instagram'), 'instagram'],
        [/could not go out before its deadline/, late.id, 'x'],
      ];
      for (const [msg, post, channel] of expected) {
        expect([String(msg), said(msg, post).map((entry) => [entry.office, entry.channel])]).toEqual([String(msg), [['kanim-pontianak', channel]]]);
      }

      // The metrics of the same publish, as /metrics shows them.
      const scrape = parseScrape(await metrics.scrape());
      const value = (name: string, labels: Record<string, string>): number | undefined => sampleValue(scrape, name, labels);
      expect({
        xAttempts: value('quota_herald_publish_attempts_total', { platform: 'x' }),
        xUnclear: value('quota_herald_publish_failures_total', { platform: 'x', kind: 'unclear' }),
        igAttempts: value('quota_herald_publish_attempts_total', { platform: 'instagram' }),
        igFailures: value('quota_herald_publish_failures_total', { platform: 'instagram', kind: 'unclear' }),
        // Both first attempts reached their send at the due instant: below the first bucket.
        firstSendsOnTime: value('quota_herald_due_to_send_seconds_bucket', { platform: 'x', attempt: 'first', le: '0.01' }),
        igFirstSendOnTime: value('quota_herald_due_to_send_seconds_bucket', { platform: 'instagram', attempt: 'first', le: '0.01' }),
        // The second send came 25 s late: past 10 s, within 30 s.
        retrySendBy10s: value('quota_herald_due_to_send_seconds_bucket', { platform: 'x', attempt: 'retry', le: '10' }),
        retrySendBy30s: value('quota_herald_due_to_send_seconds_bucket', { platform: 'x', attempt: 'retry', le: '30' }),
        xPublished: value('quota_herald_due_to_published_seconds_count', { platform: 'x', attempt: 'retry' }),
        igPublished: value('quota_herald_due_to_published_seconds_count', { platform: 'instagram', attempt: 'first' }),
        expiredAlerts: value('quota_herald_alerts_total', { kind: 'expired' }),
        capAlerts: value('quota_herald_alerts_total', { kind: 'daily-cap' }),
      }).toEqual({
        xAttempts: 2,
        xUnclear: 1,
        igAttempts: 1,
        igFailures: undefined,
        firstSendsOnTime: 1,
        igFirstSendOnTime: 1,
        retrySendBy10s: 0,
        retrySendBy30s: 1,
        xPublished: 1,
        igPublished: 1,
        expiredAlerts: 1,
        capAlerts: 1,
      });
    } finally {
      await Promise.all([...channels.values()].map((channel) => channel.close?.()));
      await alert.close();
      await media.close();
      await fakeX.close();
      await fakeIg.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
