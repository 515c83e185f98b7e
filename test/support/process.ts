/** Helpers for tests that drive the bot as a real child process on the wall clock. */
import type { ChildProcess } from 'node:child_process';
import { toLocal } from '../../src/time/zone';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` (which may be async, e.g. reloading a page) until it returns a
 * value other than `undefined` or `false` (real time: the process under test
 * runs on the wall clock).
 */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: () => string, intervalMs = 200): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what()}`);
    await sleep(intervalMs);
  }
}

/** Resolves with the exit code once the child has exited (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

/** `YYYY-MM-DD HH:mm:ss` wall time in `zone`: how calendar.yaml writes an opening seconds away. */
export function localStamp(instant: Date, zone: string): string {
  const local = toLocal(instant, zone);
  return `${local.date} ${local.time}:${String(instant.getUTCSeconds()).padStart(2, '0')}`;
}
