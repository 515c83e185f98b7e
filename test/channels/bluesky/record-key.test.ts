import { encodeTid, inKeyBand, KEY_BAND_END, KEY_BAND_START_US, postRecordKey, tidMicros } from '../../../src/channels/bluesky/record-key';

describe('channels/bluesky/record-key', () => {
  it('is a valid TID, the same on every attempt, different per post and per revision', () => {
    const key = postRecordKey('3f2a9c0d1e4b5a6c7d8e', 1);
    expect(key).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    expect(postRecordKey('3f2a9c0d1e4b5a6c7d8e', 1)).toBe(key);
    expect(postRecordKey('3f2a9c0d1e4b5a6c7d8e', 2)).not.toBe(key);
    expect(postRecordKey('3f2a9c0d1e4b5a6c7d8f', 1)).not.toBe(key);
  });

  it('keeps every key inside the band, which ends before any key an app makes today', () => {
    for (let i = 0; i < 500; i += 1) expect(inKeyBand(postRecordKey(`post-${i}`, 1 + (i % 3)))).toBe(true);
    // A TID an app makes now (µs since 1970 in the top 53 bits) sorts after the band.
    const now = encodeTid((BigInt(Date.parse('2026-12-03T00:00:00Z')) * 1000n) << 10n);
    expect(now > KEY_BAND_END).toBe(true);
    expect(inKeyBand(now)).toBe(false);
    expect(tidMicros(encodeTid(KEY_BAND_START_US << 10n))).toBe(KEY_BAND_START_US);
  });

  it('encodes as the TID spec does (base32-sortable, 13 characters, big-endian)', () => {
    // As @atproto/common's TID.fromTime: 11 characters of microseconds, then 2 of clock id.
    expect(encodeTid(0n)).toBe('2222222222222');
    expect(encodeTid((1n << 63n) - 1n)).toBe('bzzzzzzzzzzzz');
    expect(encodeTid((1_700_000_000_000_000n << 10n) | 31n)).toBe(`${(1_700_000_000_000_000).toString(32).replace(/./g, (d) => '234567abcdefghijklmnopqrstuvwxyz'[parseInt(d, 32)]!).padStart(11, '2')}2z`);
    expect(tidMicros('not-a-tid')).toBeNull();
  });
});
