/**
 * Console passwords: scrypt from node:crypto (memory-hard, no native
 * dependency), stored as one self-describing string
 * `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`, so the cost can be
 * raised later without losing the hashes made before.
 */
import crypto from 'node:crypto';

export interface ScryptCost {
  log2N: number;
  r: number;
  p: number;
}

/** N = 2^15, r = 8 (32 MiB, ~0.1 s on this kind of machine): OWASP's scrypt floor. */
export const DEFAULT_COST: ScryptCost = { log2N: 15, r: 8, p: 1 };
export const MIN_PASSWORD_LENGTH = 12;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is just below N=2^15, r=8.
  const maxmem = 256 * N * cost.r;
  return new Promise((resolve, reject) => {
    crypto.scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r: cost.r, p: cost.p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches `stored`; false for a malformed hash (never throws for one). Constant-time compare. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // A hash is data from the database: refuse costs that would exhaust memory rather than trust them.
  if (![log2N, r, p].every(Number.isSafeInteger) || log2N < 10 || log2N > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_BYTES || salt.length === 0) return false;
  const key = await derive(password, salt, { log2N, r, p });
  return crypto.timingSafeEqual(key, expected);
}

/**
 * A hash of no one's password: verified against when the user name is unknown,
 * so a sign-in takes as long for a name that does not exist as for one that does.
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return decoy;
}

/** What is wrong with a new password, or null. */
export function passwordProblem(password: string): string | null {
  if (password.trim() === '') return 'the password is empty';
  if ([...password].length < MIN_PASSWORD_LENGTH) return `the password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (a few words are easy to remember)`;
  return null;
}
