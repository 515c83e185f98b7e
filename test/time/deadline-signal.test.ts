import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { AlertNotice } from '../../src/alerts/alert-notice';
import { createTelegramSender } from '../../src/alerts/telegram-sender';
import { withTimeout } from '../../src/app/account-watch';
import { createGraphClient } from '../../src/channels/instagram/graph-client';
import type { TelegramAlertSettings } from '../../src/config/types';
import { createXClient } from '../../src/channels/x/x-client';
import { deadlineSignal, isDeadlineReason } from '../../src/time/deadline-signal';

// Node 20 drops an AbortSignal.timeout held only by AbortSignal.any() when the
// heap is collected before the deadline (nodejs/node#57736). Collect often,
// as a busy bot does, and the deadline must still fire.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

let server: http.Server;
let url: URL;
beforeAll(async () => {
  // Accepts every request and never answers: the silent platform.
  server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Settles with how `work` ended, or 'still waiting' once `limitMs` passed, collecting garbage meanwhile. */
async function underCollection(work: Promise<unknown>, limitMs: number): Promise<string> {
  const collector = setInterval(collectGarbage, 10);
  let limit: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work.then(
        () => 'resolved',
        (error: unknown) => `rejected: ${(error as { name?: string } | null)?.name ?? String(error)}`,
      ),
      new Promise<string>((resolve) => {
        limit = setTimeout(() => resolve('still waiting'), limitMs);
      }),
    ]);
  } finally {
    clearInterval(collector);
    clearTimeout(limit);
  }
}

describe('deadlineSignal', () => {
  it('aborts with a TimeoutError after its time even when nothing else holds it and the heap is collected', async () => {
    const outer = new AbortController();
    const fired = new Promise<unknown>((resolve) => deadlineSignal(100, outer.signal).addEventListener('abort', (event) => resolve((event.target as AbortSignal).reason)));
    const outcome = await underCollection(fired.then((reason) => { if (!isDeadlineReason(reason)) throw new Error('not a deadline'); }), 3000);
    expect(outcome).toBe('resolved');
  });

  it('aborts at once with the outer reason when the outer signal aborts, and is born aborted from an aborted one', () => {
    const outer = new AbortController();
    const signal = deadlineSignal(60_000, outer.signal);
    expect(signal.aborted).toBe(false);
    outer.abort(new Error('stopping'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('stopping');
    expect(isDeadlineReason(signal.reason)).toBe(false);
    expect(deadlineSignal(60_000, outer.signal).reason).toBe(outer.signal.reason);
  });

  it('leaves no listener on a long-lived outer signal once its deadline passed', async () => {
    const outer = new AbortController();
    let listeners = 0;
    const add = outer.signal.addEventListener.bind(outer.signal);
    // Count the listeners deadlineSignal adds and the ones its own abort takes away.
    outer.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners++;
      const options = args[2];
      if (typeof options === 'object') options.signal?.addEventListener('abort', () => listeners--);
      add(...args);
    }) as AbortSignal['addEventListener'];
    const signals = Array.from({ length: 5 }, () => deadlineSignal(20, outer.signal));
    expect(listeners).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(listeners).toBe(0);
  });
});

describe('a request to a platform that never answers gives up on time while the heap is collected', () => {
  it('X client (twitter-api-v2 over node:http) with a caller signal and a per-request timeout', async () => {
    const caller = new AbortController();
    const api = createXClient({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' }, { baseUrl: url, signal: caller.signal, timeoutMs: 200 });
    const outcome = await underCollection(api.me(), 5000);
    caller.abort();
    expect(outcome).toMatch(/^rejected/);
  });

  it('Instagram Graph client (fetch) with a caller signal and a per-request timeout', async () => {
    const caller = new AbortController();
    const graph = createGraphClient({ origin: url.origin, version: 'v23.0', fetch, token: () => Promise.resolve('token'), timeoutMs: 200 });
    const outcome = await underCollection(graph.get('me', {}, caller.signal), 5000);
    caller.abort();
    expect(outcome).toBe('rejected: GraphRequestError');
  });

  it('Telegram alert sender (fetch) with the delivery queue\'s signal', async () => {
    const queue = new AbortController();
    const sender = createTelegramSender({
      settings: { baseUrl: url.origin, chatId: '-100', credentials: { botToken: 'TELEGRAM_BOT_TOKEN' } } as TelegramAlertSettings,
      botToken: '123:abc',
      fetch,
      timeoutMs: 200,
    });
    const outcome = await underCollection(sender.send({ text: 'tes' } as AlertNotice, queue.signal), 5000);
    queue.abort();
    expect(outcome).toBe('rejected: AlertDeliveryError');
  });

  it('withTimeout (the account check) gives up on a call that ignores its signal', async () => {
    const stop = new AbortController();
    const outcome = await underCollection(withTimeout(() => new Promise(() => undefined), 200, stop.signal, 'no answer within 0.2 s'), 5000);
    expect(outcome).toBe('rejected: TimeoutError');
  });
});
