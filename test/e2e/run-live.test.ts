/**
 * End to end with the real drivers: `run` as a child process, the X driver
 * (real twitter-api-v2) and the Instagram driver (real fetch, real media
 * server) pointed at fake platform servers on 127.0.0.1, openings seconds
 * away. Every post must arrive once, with its image and alt text; no secret
 * may appear in the logs, the ledger or the status output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addDays } from '../../src/time/plain-date';
import { toLocal } from '../../src/time/zone';
import { startFakeInstagramServer, type FakeInstagramServer } from '../fakes/fake-instagram-server';
import { startFakeXServer, type FakeXServer } from '../fakes/fake-x-server';
import { REPO_ROOT, runCli, startCli } from '../support/cli';
import { filesBelow, freePort } from '../support/net';
import { localStamp, waitFor } from '../support/process';

const ZONE = 'Asia/Pontianak';
const SECRETS = {
  X_APP_KEY: 'xkey-RECOGNISABLE-11111',
  X_APP_SECRET: 'xsecret-RECOGNISABLE-22222',
  X_ACCESS_TOKEN: '1234-xtoken-RECOGNISABLE-33333',
  X_ACCESS_SECRET: 'xaccesssecret-RECOGNISABLE-44444',
  IG_ACCESS_TOKEN: 'IGAA-igtoken-RECOGNISABLE-55555',
};

describe('e2e: run publishes to X and Instagram through their APIs', () => {
  let dir: string;
  let fakeX: FakeXServer;
  let fakeIg: FakeInstagramServer;

  beforeAll(async () => {
    fakeX = await startFakeXServer({ appKey: SECRETS.X_APP_KEY, appSecret: SECRETS.X_APP_SECRET, accessToken: SECRETS.X_ACCESS_TOKEN, accessSecret: SECRETS.X_ACCESS_SECRET });
    fakeIg = await startFakeInstagramServer({ token: SECRETS.IG_ACCESS_TOKEN, pollsUntilFinished: 1 });
  });

  afterAll(async () => {
    await fakeX.close();
    await fakeIg.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends each opening once on both platforms, with cards and alt text, and leaks no secret', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-e2e-live-'));
    const configDir = path.join(dir, 'config');
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(configDir);
    const mediaPort = await freePort();
    const herald = fs
      .readFileSync(path.join(REPO_ROOT, 'config', 'herald.yaml'), 'utf8')
      .replace(
        '  - { id: instagram, driver: outbox, platform: instagram }\n  - { id: x, driver: outbox, platform: x }',
        [
          `  - { id: instagram, driver: instagram, baseUrl: "${fakeIg.url}", accountId: "${fakeIg.accountId}", credentials: { accessToken: IG_ACCESS_TOKEN } }`,
          `  - { id: x, driver: x, baseUrl: "${fakeX.url}", credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }`,
        ].join('\n'),
      )
      .replace('settings:\n', `settings:\n  mediaServer: { publicBaseUrl: "http://127.0.0.1:${mediaPort}", port: ${mediaPort} }\n`);
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), herald);
    const now = Date.now();
    const openings = [new Date(Math.ceil((now + 10_000) / 1000) * 1000), new Date(Math.ceil((now + 16_000) / 1000) * 1000)];
    const releases = openings
      .map((opening, i) => `  - id: live-${i + 1}\n    opensAt: "${localStamp(opening, ZONE)}"\n    days:\n      - { date: ${addDays(toLocal(opening, ZONE).date, 3 + i)}, quota: { regular: ${70 + i}, express: ${7 + i} } }`)
      .join('\n');
    fs.writeFileSync(path.join(configDir, 'calendar.yaml'), `releases:\n${releases}\n`);

    const bot = startCli(['run', '--config', configDir, '--data', dataDir, '--templates', path.join(REPO_ROOT, 'templates')], {
      env: { ...SECRETS, LOG_LEVEL: 'debug' },
    });
    try {
      await waitFor(() => fakeX.tweets.length >= 2 && fakeIg.published.length >= 2, 60_000, () => `2 tweets and 2 Instagram posts (stderr: ${bot.output().stderr.slice(-3000)})`);
      // Nothing else is due: give a doubled post the chance to show up before stopping.
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      bot.kill('SIGTERM');
      await new Promise((resolve) => (bot.exitCode !== null ? resolve(null) : bot.once('exit', resolve)));
    }
    expect(bot.exitCode).toBe(0);

    // Once each, at the opening, with the facts of their release.
    expect(fakeX.tweets).toHaveLength(2);
    expect(fakeIg.published).toHaveLength(2);
    for (const [i, opening] of openings.entries()) {
      const tweet = fakeX.tweets[i]!;
      expect(tweet.text).toContain(`${70 + i} Reguler`);
      expect(tweet.receivedAt.getTime() - opening.getTime()).toBeGreaterThanOrEqual(0);
      expect(tweet.receivedAt.getTime() - opening.getTime()).toBeLessThan(5_000);
      expect(tweet.mediaIds).toHaveLength(1);
      const media = fakeX.media.get(tweet.mediaIds[0]!)!;
      expect(media.mime).toBe('image/png');
      expect(media.bytes.subarray(1, 4).toString()).toBe('PNG');
      expect(media.altText).toMatch(/14\.00 WIB|\d{2}\.\d{2} WIB/);

      const post = fakeIg.published[i]!;
      expect(post.caption).toContain(`Reguler ${70 + i}`);
      expect(post.items).toHaveLength(1);
      expect(post.items[0]).toMatchObject({ width: 1080, height: 1350 });
      expect(post.items[0]!.altText!.length).toBeGreaterThan(40);
      expect(post.receivedAt.getTime() - opening.getTime()).toBeLessThan(10_000);
    }

    // The ledger knows what the platforms know.
    const status = await runCli(['status', '--json', '--config', configDir, '--data', dataDir]);
    const parsed = JSON.parse(status.stdout) as { recent: { channel: string; remoteId: string; releaseId: string }[] };
    const remoteIds = parsed.recent.filter((p) => p.releaseId.startsWith('live-')).map((p) => `${p.channel}:${p.remoteId}`).sort();
    expect(remoteIds).toEqual([...fakeX.tweets.map((t) => `x:${t.id}`), ...fakeIg.published.map((p) => `instagram:${p.id}`)].sort());

    // No secret in logs, status output, the ledger or any other file (a refreshed token would be in the ledger, encrypted).
    const places: [string, string][] = [
      ['bot stdout', bot.output().stdout],
      ['bot stderr', bot.output().stderr],
      ['status output', status.stdout],
      ...filesBelow(dataDir).map((file): [string, string] => [file, fs.readFileSync(file).toString('latin1')]),
    ];
    for (const [where, text] of places) {
      for (const [name, secret] of Object.entries(SECRETS)) {
        if (text.includes(secret)) throw new Error(`${name} leaked into ${where}`);
      }
    }
    expect(fs.existsSync(path.join(dataDir, 'tokens'))).toBe(false);
  }, 120_000);
});
