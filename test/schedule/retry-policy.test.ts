import { PublishError } from '../../src/channels/publish-error';
import { decideAfterFailure } from '../../src/schedule/retry-policy';

const now = new Date('2026-11-27T06:00:00Z');
const middle = (): number => 0.5;

describe('schedule/retry-policy', () => {
  it('never retries an unclear outcome blindly', () => {
    expect(decideAfterFailure(new PublishError('unclear', 'timeout after sending'), { now, attempts: 1, random: middle })).toEqual({ state: 'unknown', retryAt: null });
  });

  it('gives up on permanent and auth failures', () => {
    expect(decideAfterFailure(new PublishError('permanent', 'duplicate'), { now, attempts: 1, random: middle }).state).toBe('dead');
    expect(decideAfterFailure(new PublishError('auth', 'token revoked'), { now, attempts: 1, random: middle }).state).toBe('dead');
  });

  it('backs off exponentially with jitter for transient failures', () => {
    const delays = [1, 2, 3, 4].map((attempts) => decideAfterFailure(new PublishError('transient', '503'), { now, attempts, random: middle }).retryAt!.getTime() - now.getTime());
    expect(delays).toEqual([15_000, 30_000, 60_000, 120_000]);
    const low = decideAfterFailure(new PublishError('transient', '503'), { now, attempts: 1, random: () => 0 }).retryAt!.getTime() - now.getTime();
    const high = decideAfterFailure(new PublishError('transient', '503'), { now, attempts: 1, random: () => 1 }).retryAt!.getTime() - now.getTime();
    expect(low).toBe(12_000);
    expect(high).toBe(18_000);
  });

  it('caps the backoff at ten minutes', () => {
    const decision = decideAfterFailure(new PublishError('transient', '503'), { now, attempts: 20, random: middle });
    expect(decision.retryAt!.getTime() - now.getTime()).toBe(600_000);
  });

  it('honours the platform reset time when it is later than the backoff', () => {
    const retryAt = new Date('2026-11-27T06:15:00Z');
    const decision = decideAfterFailure(new PublishError('rate-limited', '429', { retryAt }), { now, attempts: 1, random: middle });
    expect(decision).toEqual({ state: 'retrying', retryAt });
  });
});
