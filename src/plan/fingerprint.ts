/**
 * Fingerprints of what a post shows. The ledger compares them to tell a pending
 * post whose facts changed (re-render, or a correction once published) from one
 * that is merely planned again.
 */
import { createHash } from 'node:crypto';
import type { PostFacts } from './types';

/**
 * JSON with object keys sorted at every level, so the text depends only on the
 * data, never on the order properties happened to be assigned in. `undefined`
 * properties are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // A bare undefined (or function) has no JSON form: write null, as JSON.stringify does inside arrays.
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof EncodedJson) return value.text;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : canonicalJson(item);
    }
    return `${out}]`;
  }
  if (value instanceof Date) {
    throw new TypeError('canonicalJson: facts must not hold Date objects; store ISO strings');
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

/** Already-canonical JSON, spliced in verbatim: lets shared parts be encoded once. */
class EncodedJson {
  constructor(readonly text: string) {}
}

/** sha256 (hex) of the template name and the canonical JSON of the facts it shows. */
export function fingerprintFacts(template: string, facts: PostFacts): string {
  return createHash('sha256').update(canonicalJson({ template, facts })).digest('hex');
}

/**
 * `fingerprintFacts` for one planning run, giving the same result, but encoding
 * each shared part (the office, its services, a release quoted by three rules
 * and every digest of its week) only once, and feeding the hash piece by piece
 * instead of building one long string: planning a year for 200 offices spent
 * most of its time and garbage here otherwise. Only safe while those objects
 * are not mutated, which holds inside `planPosts`: it builds them and hands
 * them out only when it returns.
 */
export function createFingerprinter(): (template: string, facts: PostFacts) => string {
  const encoded = new WeakMap<object, { text: EncodedJson; bytes: Buffer }>();
  const encodeOnce = (value: object): { text: EncodedJson; bytes: Buffer } => {
    let json = encoded.get(value);
    if (!json) {
      const text = canonicalJson(value);
      json = { text: new EncodedJson(text), bytes: Buffer.from(text) };
      encoded.set(value, json);
    }
    return json;
  };
  return (template, facts) => {
    const hash = createHash('sha256');
    // Same bytes as canonicalJson({ template, facts }): "facts" sorts before "template".
    hash.update('{"facts":{');
    let first = true;
    for (const key of Object.keys(facts).sort() as (keyof PostFacts)[]) {
      const value = facts[key];
      if (value === undefined) continue;
      hash.update(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (key === 'digest') {
        const digest = value as NonNullable<PostFacts['digest']>;
        const openings = digest.openings.map((opening) => encodeOnce(opening).text);
        hash.update(canonicalJson({ ...digest, openings }));
      } else if (key === 'timing') {
        hash.update(canonicalJson(value));
      } else {
        hash.update(encodeOnce(value).bytes);
      }
    }
    hash.update(`},"template":${JSON.stringify(template)}}`);
    return hash.digest('hex');
  };
}
