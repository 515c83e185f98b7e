/**
 * Test helpers for the alert sinks: a clock that only moves when told (retry
 * backoff and rate-limit windows without real sleeps), captured log lines,
 * and a wait for real network I/O to land.
 */
import type { Clock } from '../../src/clock';
import { createLogger, type Logger } from '../../src/logger';

export interface ManualClock extends Clock {
  /** Moves time forward, waking every sleeper whose time has come. */
  advance(ms: number): void;
  /** Delays currently slept on, in ms from now (sorted). */
  pending(): number[];
}

export function createManualClock(start: string): ManualClock {
  let now = Date.parse(start);
  const sleepers = new Set<{ until: number; wake: () => void }>();
  return {
    now: () => new Date(now),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const sleeper = {
          until: now + Math.max(0, ms),
          wake: () => {
            sleepers.delete(sleeper);
            signal?.removeEventListener('abort', sleeper.wake);
            resolve();
          },
        };
        sleepers.add(sleeper);
        signal?.addEventListener('abort', sleeper.wake, { once: true });
      }),
    advance(ms) {
      now += ms;
      [...sleepers].filter((s) => s.until <= now).forEach((s) => s.wake());
    },
    pending: () => [...sleepers].map((s) => s.until - now).sort((a, b) => a - b),
  };
}

/** A debug-level logger whose lines land in `lines` (JSON text, as pino writes them). */
export function captureLogs(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, text: () => lines.join('') };
}

/**
 * Resolves once `probe` holds. Real sockets need real event-loop turns, so
 * this yields to I/O (setImmediate) rather than sleeping; it fails after 10 s.
 */
export async function until(probe: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Closes `sinks` whose `close()` gives deliveries in flight a grace of
 * `graceMs` on the manual clock. Each sink starts its grace once its own
 * rate-limit decisions are done (on PostgreSQL, one after the other), so one
 * advance may come before a later grace exists: advance until all are closed.
 */
export async function closeOnManualClock(clock: ManualClock, sinks: readonly { close(): Promise<void> }[], graceMs = 5_000): Promise<void> {
  let closed = false;
  const closing = Promise.all(sinks.map((sink) => sink.close())).then(() => {
    closed = true;
  });
  for (;;) {
    await until(() => closed || clock.pending().length === 0 || clock.pending().includes(graceMs), 'the close grace');
    if (closed || !clock.pending().includes(graceMs)) break;
    clock.advance(graceMs);
  }
  await closing;
}

/** A port on 127.0.0.1 where nothing listens (a sink that is down). */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
