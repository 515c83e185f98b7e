/**
 * The record key of a post: a TID (13 characters of base32-sortable, a 64-bit
 * number whose top bit is 0: 53 bits of "microseconds", 10 bits of "clock id";
 * atproto.com/specs/tid) computed from the post and its revision, so every
 * attempt on every instance writes to the same key and the PDS refuses a
 * second post there (putRecord with `swapRecord: null`).
 *
 * Why not the due time in the key: a post is re-timed without a new revision
 * (store/sync-plan.ts, reschedules), and the key must not move with it. The
 * "time" is therefore a hash, kept inside one band that starts on 2022-01-01
 * (before Bluesky opened, so no post made in an app sorts among ours) and
 * spans 2^43 µs (about 102 days): the read-back walks the collection from its
 * oldest key and meets the bot's posts first (bluesky-channel.ts readBack).
 * The PDS checks a TID's syntax only (assumed from the TID spec: "not
 * validated anywhere in the network" as a timestamp).
 */
import { createHash } from 'node:crypto';

const BASE32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';
/** 2022-01-01T00:00:00Z in microseconds. */
export const KEY_BAND_START_US = 1_640_995_200_000_000n;
export const KEY_BAND_BITS = 43n;
export const KEY_BAND_END_US = KEY_BAND_START_US + (1n << KEY_BAND_BITS);

/** The post's record key; the same for every attempt of one revision, different for each revision. */
export function postRecordKey(postId: string, revision: number): string {
  const hash = createHash('sha256').update(`quota-herald-${postId}-r${revision}`).digest();
  const micros = KEY_BAND_START_US + (hash.readBigUInt64BE(0) & ((1n << KEY_BAND_BITS) - 1n));
  const clockId = BigInt(hash.readUInt16BE(8) & 0x3ff);
  return encodeTid((micros << 10n) | clockId);
}

export function encodeTid(value: bigint): string {
  let n = value;
  let key = '';
  for (let i = 0; i < 13; i++, n >>= 5n) key = BASE32_SORTABLE[Number(n & 31n)] + key;
  return key;
}

/** The microseconds part of a TID, or null when `key` is not one. */
export function tidMicros(key: string): bigint | null {
  if (!/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/.test(key)) return null;
  let n = 0n;
  for (const char of key) n = (n << 5n) | BigInt(BASE32_SORTABLE.indexOf(char));
  return n >> 10n;
}

/** Whether `key` is one the bot could have made (inside the band). */
export function inKeyBand(key: string): boolean {
  const micros = tidMicros(key);
  return micros !== null && micros >= KEY_BAND_START_US && micros < KEY_BAND_END_US;
}

/** The smallest TID after the band: a record key at or above it was not made by the bot. */
export const KEY_BAND_END = encodeTid(KEY_BAND_END_US << 10n);
