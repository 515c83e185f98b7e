/**
 * The only place that reads real time. Everything else receives a Clock.
 *
 * `sleep` is part of the clock so the same scheduler loop can run on the wall
 * clock (`run`) or on a virtual clock that jumps forward instantly (`simulate`).
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` (or earlier if `signal` aborts). Never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** A clock that only moves when slept on: a month of scheduling runs in seconds. */
export interface VirtualClock extends Clock {
  set(instant: Date): void;
}

export function createVirtualClock(start: Date): VirtualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    sleep: async (ms) => {
      current += Math.max(0, ms);
    },
    set: (instant) => {
      current = instant.getTime();
    },
  };
}
