import { PublishError } from '../../src/channels/publish-error';
import { decideAfterFailure, type FailureContext } from '../../src/schedule/retry-policy';

const now = new Date('2026-11-27T06:00:00Z');
const middle = (): number => 0.5;
const later = (ms: number): Date => new Date(now.getTime() + ms);
/** No deadline: only the backoff and the platform decide. */
const free = (attempts: number, random = middle): FailureContext => ({ now, attempts, random, deadline: null, attemptMs: 15_000 });
const transient = new PublishError('transient', 'X failed while uploading the card (503)');

describe('schedule/retry-policy', () => {
  it('never retries an unclear outcome blindly', () => {
    expect(decideAfterFailure(new PublishError('unclear', 'timeout after sending'), free(1))).toEqual({ state: 'unknown', retryAt: null });
  });

  it('gives up on permanent and auth failures', () => {
    expect(decideAfterFailure(new PublishError('permanent', 'duplicate'), free(1)).state).toBe('dead');
    expect(decideAfterFailure(new PublishError('auth', 'token revoked'), free(1)).state).toBe('dead');
  });

  it('backs off exponentially with jitter for transient failures', () => {
    const delays = [1, 2, 3, 4].map((attempts) => decideAfterFailure(transient, free(attempts)).retryAt!.getTime() - now.getTime());
    expect(delays).toEqual([15_000, 30_000, 60_000, 120_000]);
    const low = decideAfterFailure(transient, free(1, () => 0)).retryAt!.getTime() - now.getTime();
    const high = decideAfterFailure(transient, free(1, () => 1)).retryAt!.getTime() - now.getTime();
    expect(low).toBe(12_000);
    expect(high).toBe(18_000);
  });

  it('caps the backoff at ten minutes', () => {
    const decision = decideAfterFailure(transient, free(20));
    expect(decision.retryAt!.getTime() - now.getTime()).toBe(600_000);
  });

  it('honours the platform reset time when it is later than the backoff', () => {
    const retryAt = new Date('2026-11-27T06:15:00Z');
    const decision = decideAfterFailure(new PublishError('rate-limited', '429', { retryAt }), free(1));
    expect(decision).toEqual({ state: 'retrying', retryAt });
  });

  describe('before a deadline', () => {
    const context = (attempts: number, deadline: Date, attemptMs = 15_000): FailureContext => ({ now, attempts, random: middle, deadline, attemptMs });

    it('keeps the backoff when the retry can finish before the deadline', () => {
      expect(decideAfterFailure(transient, context(1, later(60_000)))).toEqual({ state: 'retrying', retryAt: later(15_000) });
      // Exactly fits: starts 15 s before the deadline, with a 15 s attempt.
      expect(decideAfterFailure(transient, context(1, later(30_000)))).toEqual({ state: 'retrying', retryAt: later(15_000) });
    });

    it('moves a backoff that passes the deadline to a last attempt that still finishes in time', () => {
      // The case: the fourth attempt's backoff is 120 s, 85 s are left before the deadline.
      const decision = decideAfterFailure(transient, context(4, later(85_000)));
      expect(decision).toEqual({ state: 'retrying', retryAt: later(70_000) });
    });

    it('uses the attempt allowance it is given as the margin before the deadline', () => {
      expect(decideAfterFailure(transient, context(4, later(85_000), 60_000))).toEqual({ state: 'retrying', retryAt: later(25_000) });
    });

    it('retries at the last start when just enough time is left for one more attempt', () => {
      expect(decideAfterFailure(transient, context(3, later(15_001)))).toEqual({ state: 'retrying', retryAt: later(1) });
    });

    it('expires when this failure happened at the last start: retrying "now" again would repeat forever on a virtual clock', () => {
      // test/faults/full-disk.test.ts hung here: an ENOSPC at the last start, retried at the same instant, again and again.
      expect(decideAfterFailure(transient, context(3, later(15_000))).state).toBe('expired');
    });

    it('honours a platform reset that falls early enough before the deadline', () => {
      const reset = later(80_000);
      // The reset is later than the backoff (+15 s): wait for the reset.
      expect(decideAfterFailure(new PublishError('rate-limited', '429', { retryAt: reset }), context(1, later(300_000)))).toEqual({ state: 'retrying', retryAt: reset });
      const decision = decideAfterFailure(new PublishError('rate-limited', '429', { retryAt: reset }), context(4, later(300_000)));
      // The backoff (+120 s) is later than the reset and fits: the backoff wins.
      expect(decision).toEqual({ state: 'retrying', retryAt: later(120_000) });
      // Backoff +120 s passes the latest start (deadline 100 s − 15 s = +85 s); the reset (+80 s) does not: start at +85 s.
      expect(decideAfterFailure(new PublishError('rate-limited', '429', { retryAt: reset }), context(4, later(100_000)))).toEqual({ state: 'retrying', retryAt: later(85_000) });
      // A reset after the latest start but before the deadline itself cannot be used: an attempt would not finish.
      expect(decideAfterFailure(new PublishError('rate-limited', '429', { retryAt: later(90_000) }), context(1, later(100_000))).state).toBe('expired');
    });

    it('expires with a clear reason when the platform reset comes after the deadline', () => {
      const reset = new Date('2026-11-27T06:15:00Z');
      const decision = decideAfterFailure(new PublishError('rate-limited', '429', { retryAt: reset }), context(1, later(120_000)));
      expect(decision).toEqual({
        state: 'expired',
        retryAt: null,
        reason: 'the platform accepts no new attempt before 2026-11-27T06:15:00.000Z (its rate-limit reset), too late to finish before the deadline 2026-11-27T06:02:00.000Z (an attempt needs up to 15 s)',
      });
    });

    it('expires with a clear reason when no attempt can finish before the deadline', () => {
      const decision = decideAfterFailure(transient, context(2, later(9_000)));
      expect(decision).toEqual({
        state: 'expired',
        retryAt: null,
        reason: 'only 9 s were left before the deadline 2026-11-27T06:00:09.000Z, and an attempt needs up to 15 s',
      });
      expect(decideAfterFailure(transient, context(2, now)).state).toBe('expired');
    });

    it('never expires what it would not retry anyway', () => {
      expect(decideAfterFailure(new PublishError('unclear', 'timeout after sending'), context(1, now))).toEqual({ state: 'unknown', retryAt: null });
      expect(decideAfterFailure(new PublishError('permanent', 'duplicate'), context(1, now))).toEqual({ state: 'dead', retryAt: null });
    });
  });
});
