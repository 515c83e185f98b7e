/**
 * The verification code every card carries ("Kode cek: K7M2-Q9XD" and a QR
 * code to the archive entry), so the public can tell a real announcement
 * from a forged image: a typed code shows the original post on the office's
 * public page, or says plainly that no such announcement exists.
 *
 * The code is derived, never random: the posts of one announcement on every
 * channel (the same office, rule, subject and facts) share one card and so one
 * code, and planning again gives the same code. A correction shows other
 * facts, so its card has a code of its own. 40 bits: a broker cannot guess a
 * code that leads anywhere, and collisions stay unlikely over many years of
 * posts (a lookup that finds two shows both, with their offices).
 */
import { createHash } from 'node:crypto';

/** Crockford's base 32: no I, L, O, U, so what is read off a card is typed back without ambiguity. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VERIFY_CODE_LENGTH = 8;

export interface VerifyCodeSource {
  officeId: string;
  ruleId: string;
  subject: string;
  /** The post's fingerprint (plan/fingerprint.ts): what it shows. */
  fingerprint: string;
}

/** `K7M2Q9XD`: the code as stored and in URLs. */
export function verifyCode(post: VerifyCodeSource): string {
  const digest = createHash('sha256').update(JSON.stringify(['verify', post.officeId, post.ruleId, post.subject, post.fingerprint])).digest();
  // 40 bits = the first five bytes, eight 5-bit groups.
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  let code = '';
  for (let i = VERIFY_CODE_LENGTH - 1; i >= 0; i--) code += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

/** `K7M2-Q9XD`: as printed on the card and the pages, easier to read aloud and type. */
export function formatVerifyCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What someone typed (`k7m2 q9xd`, `K7M2-Q9XD`, `k7m2-q9xo`) as a stored code,
 * or null when it cannot be one. Crockford's reading: O is 0, I and L are 1.
 */
export function parseVerifyCode(input: string): string | null {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== VERIFY_CODE_LENGTH) return null;
  for (const char of cleaned) if (!ALPHABET.includes(char)) return null;
  return cleaned;
}

/** The address the QR code holds: `{publicBaseUrl}/v/{code}` (web route in web/public). */
export function verifyUrl(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/v/${code}`;
}
