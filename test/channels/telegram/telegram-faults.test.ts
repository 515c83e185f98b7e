/**
 * Every way a Telegram send can fail, against the fake Bot API, and the
 * PublishError kind each must become. The rule: a send whose outcome is
 * unknown is `unclear` and raises an `unclear-outcome` alert at once (a bot
 * cannot read its channel back, so only staff can settle it); a send that
 * certainly did not happen is retried; a refusal staff must fix is `auth`.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { CardMissingError } from '../../../src/channels/card-bytes';
import { PublishError } from '../../../src/channels/publish-error';
import { CHANNEL, START, expectNoToken, failureOf, publishRequest, startTelegramRig, writeJpegCard, type TelegramRig } from './telegram-rig';

const CAPTION = '⏰ 60 MENIT LAGI: kuota antrean paspor Imigrasi Pontianak dibuka hari ini, pukul 14.00 WIB.\n\n• Senin, 30 Nov: Reguler 120';

describe('channels/telegram: failures', () => {
  let rig: TelegramRig;
  beforeEach(async () => {
    rig = await startTelegramRig();
  });
  afterEach(async () => rig.close());

  async function publishOneCard(postId = 'p1', channel = rig.channel): Promise<unknown> {
    const card = await writeJpegCard(rig.dir, `${postId}.jpg`);
    return failureOf(channel.publish(publishRequest(rig.dir, postId, CAPTION, [card.media])));
  }

  it('429: rate-limited, retried at the time parameters.retry_after gives; nothing posted, no alert', async () => {
    rig.server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 34 });
    const failure = await publishOneCard();
    expect(failure).toMatchObject({ kind: 'rate-limited', status: 429, retryAt: new Date(START.getTime() + 34_000) });
    expect(rig.server.posts()).toEqual([]);
    expect(rig.alerts).toEqual([]);
  });

  it('a revoked token: auth, saying to take a new token from @BotFather into the env variable; the token is in no error', async () => {
    rig.server.revokeToken();
    const failure = await publishOneCard();
    expect(failure).toMatchObject({ kind: 'auth', status: 401 });
    expect((failure as Error).message).toMatch(/@BotFather.*TG_CHANNEL_BOT_TOKEN/);
    expectNoToken(failure);
    expect(rig.alerts).toEqual([]);
  });

  it.each([
    ['removed from the channel', 'left' as const, /403 "Forbidden: bot is not a member of the channel chat"/],
    ['kicked from the channel', 'kicked' as const, /403 "Forbidden: bot was kicked from the channel chat"/],
    ['an administrator without "Post messages"', 'administrator' as const, /400 "Bad Request: need administrator rights in the channel chat"/],
  ])('the bot %s: auth, saying to make it an administrator with "Post messages"', async (_, status, said) => {
    rig.server.setBotStatus(CHANNEL.id, status, false);
    const failure = await publishOneCard();
    expect(failure).toMatchObject({ kind: 'auth', message: expect.stringMatching(said) });
    expect((failure as Error).message).toContain('add the bot as an administrator with "Post messages"');
    expect(rig.server.posts()).toEqual([]);
  });

  it('an unknown chat: permanent, saying to check chatId', async () => {
    const failure = await publishOneCard('p1', rig.channelWith({ chatId: '@tidakada' }));
    expect(failure).toMatchObject({ kind: 'permanent', status: 400, message: expect.stringContaining('check chatId in herald.yaml') });
  });

  it.each([
    ['the connection dropped after the post was stored', { kind: 'drop' as const, after: true }],
    ['an unreadable 200 after the post was stored', { kind: 'malformed' as const, after: true }],
    ['a 502 after the post was stored', { kind: 'status' as const, status: 502 as const, after: true }],
  ])('%s: unclear, and staff are alerted at once with the channel, the post and what to do', async (_, fault) => {
    rig.server.faults.push(fault);
    const failure = await publishOneCard('post-42');
    expect(failure).toBeInstanceOf(PublishError);
    expect(failure).toMatchObject({ kind: 'unclear' });
    expect(rig.server.posts()).toHaveLength(1); // it IS on the channel: only staff can tell
    expect(rig.alerts).toEqual([{ kind: 'unclear-outcome', message: expect.stringContaining('post-42 (h-60m, due 2026-11-27T06:00:00.000Z) may or may not be on the Telegram channel -1001234567890') }]);
    expect(rig.alerts[0]!.message).toContain('will NOT send it again: look at the channel');
    expect(rig.alerts[0]!.message).toContain('It begins: "⏰ 60 MENIT LAGI: kuota antrean paspor Imigrasi Pontianak dibuka hari ini');
    expectNoToken(failure);
    expectNoToken(rig.alerts);
  });

  it.each([
    ['a 503 before anything was stored', { kind: 'status' as const, status: 503 as const }],
    ['the connection dropped before an answer', { kind: 'drop' as const }],
  ])('%s: still unclear (the bot cannot tell it from a post that went out), alerted, nothing posted', async (_, fault) => {
    rig.server.faults.push(fault);
    const failure = await publishOneCard();
    expect(failure).toMatchObject({ kind: 'unclear' });
    expect(rig.server.posts()).toEqual([]);
    expect(rig.alerts.map((a) => a.kind)).toEqual(['unclear-outcome']);
  });

  it('no answer before the send timeout, though the post went out: unclear, alerted', async () => {
    const channel = rig.channelWith({}, { sendTimeoutMs: 300 });
    rig.server.faults.push({ kind: 'hang', after: true });
    const failure = await publishOneCard('p1', channel);
    expect(failure).toMatchObject({ kind: 'unclear', message: expect.stringContaining('no answer within 0.3 s (timeout)') });
    expect(rig.server.posts()).toHaveLength(1);
    expect(rig.alerts.map((a) => a.kind)).toEqual(['unclear-outcome']);
  });

  it('a slow answer within the timeout: published', async () => {
    rig.server.faults.push({ kind: 'slow', ms: 200 });
    const card = await writeJpegCard(rig.dir, 'slow.jpg');
    const result = await rig.channel.publish(publishRequest(rig.dir, 'slow', CAPTION, [card.media]));
    expect(result.remoteId).toBe(String(rig.server.posts()[0]!.messageIds[0]));
    expect(rig.alerts).toEqual([]);
  });

  it('the Bot API unreachable (connection refused): transient, nothing was sent, no alert', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await publishOneCard('p1', rig.channelWith({ baseUrl: `http://127.0.0.1:${port}` }));
    expect(failure).toMatchObject({ kind: 'transient', message: expect.stringContaining('ECONNREFUSED') });
    expect(rig.alerts).toEqual([]);
    expectNoToken(failure);
  });

  it('stopped before sending (the publish signal already fired): transient, nothing sent', async () => {
    const controller = new AbortController();
    controller.abort();
    const card = await writeJpegCard(rig.dir, 'stop.jpg');
    const failure = await failureOf(rig.channel.publish(publishRequest(rig.dir, 'stop', CAPTION, [card.media]), controller.signal));
    expect(failure).toMatchObject({ kind: 'transient' });
    expect(rig.server.calls).toEqual([]);
    expect(rig.alerts).toEqual([]);
  });

  it('a card missing before the send, or a checkpoint refusing it: thrown as they are, nothing sent, no alert', async () => {
    const card = await writeJpegCard(rig.dir, 'gone.jpg');
    fs.rmSync(path.join(rig.dir, card.media.file));
    await expect(rig.channel.publish(publishRequest(rig.dir, 'gone', CAPTION, [card.media]))).rejects.toBeInstanceOf(CardMissingError);
    const lost = Object.assign(new Error('lease lost'), { name: 'LeaseLostError' });
    const other = await writeJpegCard(rig.dir, 'lost.jpg');
    await expect(rig.channel.publish({ ...publishRequest(rig.dir, 'lost', CAPTION, [other.media]), checkpoint: () => Promise.reject(lost) })).rejects.toBe(lost);
    expect(rig.server.calls).toEqual([]);
    expect(rig.alerts).toEqual([]);
  });

  it('a retry after 429 posts once, at the second attempt', async () => {
    rig.server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 3 });
    const card = await writeJpegCard(rig.dir, 'r.jpg');
    await expect(rig.channel.publish(publishRequest(rig.dir, 'r', CAPTION, [card.media]))).rejects.toMatchObject({ kind: 'rate-limited' });
    await rig.clock.sleep(3_000);
    await rig.channel.publish(publishRequest(rig.dir, 'r', CAPTION, [card.media]));
    expect(rig.server.calls.map((c) => c.outcome)).toEqual(['429', 'ok']);
    expect(rig.server.posts()).toHaveLength(1);
  });
});
