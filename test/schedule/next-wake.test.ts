import { nextWakeAt } from '../../src/schedule/next-wake';

const at = (iso: string): Date => new Date(iso);
const base = { renderAheadMs: 10 * 60_000, nextReplan: null, maxChunkMs: 30_000 };

describe('schedule/next-wake', () => {
  it('wakes exactly at the next due time when it is within one chunk', () => {
    const wake = nextWakeAt({ ...base, now: at('2026-11-27T06:59:50Z'), nextDue: at('2026-11-27T07:00:00Z'), nextToRender: null });
    expect(wake.toISOString()).toBe('2026-11-27T07:00:00.000Z');
  });

  it('never sleeps longer than one chunk, however far the next post is', () => {
    const wake = nextWakeAt({ ...base, now: at('2026-11-27T00:00:00Z'), nextDue: at('2026-12-04T07:00:00Z'), nextToRender: null });
    expect(wake.toISOString()).toBe('2026-11-27T00:00:30.000Z');
  });

  it('wakes early enough to render ahead of the due time', () => {
    const wake = nextWakeAt({ ...base, maxChunkMs: Infinity, now: at('2026-11-27T00:00:00Z'), nextDue: null, nextToRender: at('2026-11-27T07:00:00Z') });
    expect(wake.toISOString()).toBe('2026-11-27T06:50:00.000Z');
  });

  it('takes the earliest of due, render and re-plan times', () => {
    const wake = nextWakeAt({
      ...base,
      maxChunkMs: Infinity,
      now: at('2026-11-27T00:00:00Z'),
      nextDue: at('2026-11-27T09:00:00Z'),
      nextToRender: at('2026-11-27T08:05:00Z'),
      nextReplan: at('2026-11-27T08:00:00Z'),
    });
    expect(wake.toISOString()).toBe('2026-11-27T07:55:00.000Z');
  });

  it('wakes now, not in the past, for an overdue post', () => {
    const wake = nextWakeAt({ ...base, now: at('2026-11-27T07:00:05Z'), nextDue: at('2026-11-27T07:00:00Z'), nextToRender: null });
    expect(wake.toISOString()).toBe('2026-11-27T07:00:05.000Z');
  });

  it('refuses to sleep forever on a virtual clock with nothing to do', () => {
    expect(() => nextWakeAt({ ...base, maxChunkMs: Infinity, now: at('2026-11-27T00:00:00Z'), nextDue: null, nextToRender: null })).toThrow(RangeError);
  });
});
