/**
 * `run` stopping (SIGTERM) with a post in flight: the real bot (`runBot`) with
 * its web server, the real X driver against the fake X, which holds the tweet
 * call until the test lets it go. Meanwhile /readyz answers 503 `draining` (a
 * load balancer takes the instance out first), the post finishes and is
 * recorded, and only then does the web server close. The bot's /metrics has
 * its run-loop metrics beside the ledger gauges.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ENV as X_ENV, SECRETS as X_SECRETS } from '../channels/x/x-harness';
import { startFakeXServer } from '../fakes/fake-x-server';
import { parseScrape, sampleValue } from '../support/prometheus';
import { setSampleWebPort } from '../support/sample-config';
import { localStamp, waitFor } from '../support/process';
import { addDays } from '../../src/time/plain-date';
import { toLocal } from '../../src/time/zone';
import BetterSqlite3 from 'better-sqlite3';
import { SQLITE_FILE } from '../../src/store/open';
import { heraldYaml, makeBotDirs, startBot, ZONE } from './bot-harness';

const X_CHANNEL = '  - { id: x, driver: outbox, platform: x }';

describe('bot: draining on SIGTERM', () => {
  const cleanup: string[] = [];
  afterAll(() => cleanup.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('answers /readyz 503 `draining` while the post in flight finishes, then closes', async () => {
    const fakeX = await startFakeXServer({ ...X_SECRETS });
    let release: () => void = () => undefined;
    // The opening's tweet is the only one to X: it waits until the test says.
    fakeX.faults.push({ route: 'POST /2/tweets', until: new Promise<void>((resolve) => (release = resolve)) });
    const { configDir, dataDir } = makeBotDirs('herald-bot-draining-', cleanup);
    const yaml = heraldYaml((text) => {
      if (!text.includes(X_CHANNEL)) throw new Error('the sample herald.yaml changed: update the test');
      return text
        .replace(X_CHANNEL, `  - { id: x, driver: x, baseUrl: "${fakeX.url}", credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }`)
        // Only the post at opening goes to X (the evening-before and hour-before posts are already due at start).
        .replace(/channels: \[instagram, x\]\n(\s+)template: (h-1|h-60m|weekly)\n/g, 'channels: [instagram]\n$1template: $2\n');
    });
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), yaml);
    setSampleWebPort(path.join(configDir, 'herald.yaml'), 0);
    // Opens in 8 s: the bot starts, publishes what is already due, and has its web server up by then.
    const opening = new Date(Math.ceil((Date.now() + 8_000) / 1000) * 1000);
    fs.writeFileSync(path.join(configDir, 'calendar.yaml'), `releases:\n  - id: drain-1\n    opensAt: "${localStamp(opening, ZONE)}"\n    days:\n      - { date: ${addDays(toLocal(opening, ZONE).date, 3)}, quota: { regular: 70, express: 7 } }\n`);

    const bot = startBot({ configDir, dataDir, watch: false, web: true, env: X_ENV });
    let stopping: Promise<void> | null = null;
    try {
      const address = await waitFor(() => /"listen":"(http:\/\/127\.0\.0\.1:\d+)","msg":"web server listening/.exec(bot.logs())?.[1], 30_000, () => `the web server:\n${bot.logs().slice(-2000)}`);
      const readyz = async (): Promise<{ status: number; body: { status: string } }> => {
        const response = await fetch(`${address}/readyz`);
        return { status: response.status, body: (await response.json()) as { status: string } };
      };
      expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ok' } });
      await waitFor(() => fakeX.requests.some((request) => request.route === 'POST /2/tweets'), 30_000, () => `the opening's tweet:\n${bot.logs().slice(-2000)}`);

      // /metrics of `run`: the run loop's counters beside the ledger gauges (the dry-run Instagram posts went out at start).
      const metrics = parseScrape(await (await fetch(`${address}/metrics`)).text());
      expect(sampleValue(metrics, 'quota_herald_publish_attempts_total', { platform: 'outbox' })).toBeGreaterThanOrEqual(1);
      expect(sampleValue(metrics, 'quota_herald_daily_cap_used_ratio', { office: 'kanim-pontianak', platform: 'x', channel: 'x' })).toBe(0);
      expect(sampleValue(metrics, 'quota_herald_posts', { office: 'kanim-pontianak', state: 'claimed' })).toBe(1);

      // SIGTERM: the loop stops after the tick in flight, which waits on the tweet.
      stopping = bot.stop();
      await waitFor(async () => (await readyz()).status === 503, 10_000, () => 'readyz to say draining');
      expect(await readyz()).toMatchObject({ status: 503, body: { status: 'draining', checks: { draining: { ok: false } } } });
      expect(fakeX.tweets).toHaveLength(0);
      release();
      await stopping;
      stopping = null;
      expect(fakeX.tweets).toHaveLength(1);
      // Recorded before the bot closed: the one X post is published, nothing is left claimed.
      const db = new BetterSqlite3(path.join(dataDir, SQLITE_FILE), { readonly: true });
      try {
        const rows = db.prepare(`SELECT channel_id AS channel, state FROM posts WHERE state <> 'superseded' AND (channel_id = 'x' OR state = 'claimed')`).all();
        expect(rows).toEqual([{ channel: 'x', state: 'published' }]);
      } finally {
        db.close();
      }
      await expect(fetch(`${address}/readyz`)).rejects.toThrow();
    } finally {
      release();
      await (stopping ?? bot.stop());
      await fakeX.close();
    }
  }, 90_000);
});
