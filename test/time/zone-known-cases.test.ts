/**
 * Known zone cases as fixed instants: Lord Howe's half-hour change, Berlin's
 * change days, and instants that must not depend on the host zone. Kept apart
 * from the every-zone sweep (zone-transitions.test.ts, the engine against Intl
 * for some 400 zones) so that CI's second run under TZ=America/Sao_Paulo
 * (.ci/run) runs these without the sweep again: a host-zone leak in
 * src/time/zone.ts (a local-time getter, a local Date constructor) fails these
 * cases there, and every re-run file that turns instants into office times.
 */
import { classifyLocalTime, fromLocal, toLocal } from '../../src/time/zone';

describe('time/zone known cases', () => {
  it('reads Lord Howe after its half-hour change at 15:30 UTC (was 02:15 with an hourly cache)', () => {
    expect(toLocal(new Date('2026-10-03T15:45:00Z'), 'Australia/Lord_Howe')).toEqual({ date: '2026-10-04', time: '02:45' });
    expect(toLocal(new Date('2026-10-03T15:29:00Z'), 'Australia/Lord_Howe')).toEqual({ date: '2026-10-04', time: '01:59' });
    expect(fromLocal('2026-10-04', '02:45', 'Australia/Lord_Howe').toISOString()).toBe('2026-10-03T15:45:00.000Z');
  });

  it('classifies Berlin wall times on its change days', () => {
    expect(classifyLocalTime('2027-03-28', '02:30', 'Europe/Berlin')).toEqual({ kind: 'skipped', at: new Date('2027-03-28T01:30:00Z'), gapMinutes: 60 });
    expect(classifyLocalTime('2027-10-31', '02:30', 'Europe/Berlin')).toEqual({
      kind: 'repeated',
      first: new Date('2027-10-31T00:30:00Z'),
      second: new Date('2027-10-31T01:30:00Z'),
    });
    expect(classifyLocalTime('2027-03-28', '03:00', 'Europe/Berlin')).toEqual({ kind: 'normal', at: new Date('2027-03-28T01:00:00Z') });
  });

  it('does not depend on the host zone', () => {
    // The suite also runs under TZ=America/Sao_Paulo; these are fixed instants either way.
    expect(fromLocal('2027-01-04', '14:00', 'Asia/Pontianak').toISOString()).toBe('2027-01-04T07:00:00.000Z');
    expect(toLocal(new Date('2027-01-04T07:00:00Z'), 'Asia/Jayapura')).toEqual({ date: '2027-01-04', time: '16:00' });
  });
});
