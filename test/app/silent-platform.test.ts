/**
 * No hang on a silent platform: fakes on 127.0.0.1 that accept the
 * connection and never answer. Every platform call gives up after its
 * timeout with an error that says so, and the running bot keeps reloading
 * edits and re-planning while an account check hangs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNTS_STATUS_KEY, type StoredAccountReport } from '../../src/app/account-watch';
import { INSTANCE_STATUS_KEY } from '../../src/app/bot';
import { PublishError } from '../../src/channels/publish-error';
import { createXChannel } from '../../src/channels/x/x-channel';
import { systemClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import { startFakeXServer, type FakeXServer } from '../fakes/fake-x-server';
import { startInstagramWorld, type InstagramWorld } from '../fakes/instagram/instagram-setup';
import { ENV, SECRETS, publishRequest, writePngCard, xConfig } from '../channels/x/x-harness';
import { waitFor } from '../support/process';
import { heraldYaml, LedgerReader, makeBotDirs, makeTempDir, officeDay, startBot, waitForAnnounced } from './bot-harness';

/** How long `call` took to settle, and how. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    const value = await call();
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

describe('silent platform: every call gives up after its timeout', () => {
  let fakeX: FakeXServer;
  let world: InstagramWorld;
  const dirs: string[] = [];

  beforeAll(async () => {
    fakeX = await startFakeXServer({ ...SECRETS });
    fakeX.silent = true;
    world = await startInstagramWorld({ start: new Date().toISOString() });
    world.fake.silent = true;
  });
  afterAll(async () => {
    await fakeX.close();
    await world.close();
    dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  });

  const xChannel = (requestTimeoutMs: number) => {
    const dir = makeTempDir('herald-silent-x-');
    dirs.push(dir);
    return { dir, channel: createXChannel(xConfig({ baseUrl: fakeX.url }), { clock: systemClock, logger: createSilentLogger(), outboxDir: dir, env: ENV, fetch, requestTimeoutMs }) };
  };

  it('X: publish (media upload), read-back and the account check each fail with a timeout error', async () => {
    const { dir, channel } = xChannel(1000);
    try {
      const card = await writePngCard(dir, 'c.png', 'alt');
      const publish = await timed(() => channel.publish(publishRequest(dir, 'p1', 'Kuota dibuka', [card.media])));
      expect(publish.error).toBeInstanceOf(PublishError);
      expect(publish.error).toMatchObject({ kind: 'transient', code: 'timeout' });
      expect((publish.error as Error).message).toMatch(/uploading the card \(timeout\); nothing was posted/);

      const readBack = await timed(() => channel.readBack(new Date(Date.now() - 3_600_000)));
      expect(readBack.error).toMatchObject({ kind: 'transient', code: 'timeout' });

      const verify = await timed(() => channel.verify!(new Date()));
      expect(verify.value?.problems).toEqual([{ severity: 'error', message: 'X account check failed: X did not answer GET /2/users/me within 1 s (timeout); publishing retries on its own' }]);

      for (const result of [publish, readBack, verify]) {
        expect(result.ms).toBeGreaterThanOrEqual(950);
        expect(result.ms).toBeLessThan(15_000);
      }
      // The fake really was asked (and kept silent), so the timeout, not a refusal, ended each call.
      expect(fakeX.requests.map((r) => r.route)).toEqual(expect.arrayContaining(['GET /2/users/me']));
    } finally {
      await channel.close?.();
    }
  });

  it('X: the caller can give up earlier through the signal', async () => {
    const { channel } = xChannel(60_000);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const readBack = await timed(() => channel.readBack(new Date(Date.now() - 3_600_000), stop.signal));
    expect(readBack.error).toMatchObject({ code: 'timeout' });
    expect(readBack.ms).toBeLessThan(10_000);
    await channel.close?.();
  });

  it('Instagram: publish, read-back and the account check each fail with a timeout error', async () => {
    const channel = world.channel({ deps: { requestTimeoutMs: 1000 }, options: { requestTimeoutMs: undefined } });
    const card = await world.card('c.jpg');
    const publish = await timed(() => channel.publish(world.request('p1', 'Kuota dibuka', [card])));
    expect(publish.error).toMatchObject({ kind: 'transient' });
    expect((publish.error as Error).message).toMatch(/no answer within 1 s \(timeout\)/);

    const readBack = await timed(() => channel.readBack(new Date(Date.now() - 3_600_000)));
    expect((readBack.error as Error).message).toMatch(/no answer within 1 s \(timeout\)/);

    const verify = await timed(() => channel.verify!(new Date()));
    expect(verify.value?.problems).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/no answer within 1 s \(timeout\)/) })]));

    for (const result of [publish, readBack, verify]) {
      expect(result.ms).toBeGreaterThanOrEqual(950);
      expect(result.ms).toBeLessThan(15_000);
    }
  });

  it('the running bot reloads an edit and re-plans while the account check hangs, then reports the timeout', async () => {
    const { configDir, dataDir } = makeBotDirs('herald-silent-bot-', dirs);
    const calendarFile = path.join(configDir, 'calendar.yaml');
    fs.writeFileSync(
      path.join(configDir, 'herald.yaml'),
      heraldYaml((text) =>
        text
          .replace(
            '  - { id: x, driver: outbox, platform: x }',
            `  - { id: x, driver: x, baseUrl: "${fakeX.url}", credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }`,
          )
          .replace('replanCron: "*/10 * * * *"', 'replanCron: "*/2 * * * * *"'),
      ),
    );
    const calendar = (regular: number): string =>
      `releases:\n  - id: edit\n    opensAt: "${officeDay(10)} 10:00"\n    days:\n      - { date: ${officeDay(13)}, quota: { regular: ${regular}, express: 5 } }\n`;
    fs.writeFileSync(calendarFile, calendar(100));

    // Long enough that the edit and the re-plans below surely happen while the check hangs, even on a busy machine.
    const requestTimeoutMs = 15_000;
    const before = fakeX.requests.length;
    const bot = startBot({ configDir, dataDir, env: ENV, requestTimeoutMs, watchDebounceMs: 200 });
    const ledger = new LedgerReader(dataDir);
    try {
      const asked = await waitFor(() => fakeX.requests.slice(before).find((r) => r.route === 'GET /2/users/me'), 30_000, () => 'the account check to reach X');
      await waitForAnnounced(ledger, 'edit', 100, 'start', bot.logs);
      const beatAtAsk = ledger.status<{ heartbeatAt: string }>(INSTANCE_STATUS_KEY)!.heartbeatAt;

      execFileSync('sed', ['-i', 's/regular: 100,/regular: 101,/', calendarFile]);
      await waitForAnnounced(ledger, 'edit', 101, 'the edit while X is silent', bot.logs);
      await waitFor(() => (ledger.status<{ heartbeatAt: string }>(INSTANCE_STATUS_KEY)?.heartbeatAt ?? '') > beatAtAsk && bot.logs().includes('"reason":"periodic"'), 30_000, () => 'a periodic re-plan while X is silent');
      // All of that happened while the check was still waiting for X.
      expect(ledger.status(ACCOUNTS_STATUS_KEY)).toBeNull();
      expect(Date.now() - asked.receivedAt.getTime()).toBeLessThan(requestTimeoutMs);

      const reports = await waitFor(() => ledger.status<StoredAccountReport[]>(ACCOUNTS_STATUS_KEY) ?? undefined, requestTimeoutMs + 30_000, () => 'the account check to give up');
      const gaveUpAfter = Date.now() - asked.receivedAt.getTime();
      expect(reports).toEqual([expect.objectContaining({ channelId: 'x', account: null, problems: [`X account check failed: X did not answer GET /2/users/me within ${requestTimeoutMs / 1000} s (timeout); publishing retries on its own`] })]);
      expect(gaveUpAfter).toBeGreaterThanOrEqual(requestTimeoutMs - 500);
    } finally {
      ledger.close();
      await bot.stop();
    }
  }, 120_000);
});
