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
    // Non-finite numbers have no JSON form; JSON.stringify writes null, and so do we.
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (value instanceof Date) {
    throw new TypeError('canonicalJson: facts must not hold Date objects; store ISO strings');
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** sha256 (hex) of the template name and the canonical JSON of the facts it shows. */
export function fingerprintFacts(template: string, facts: PostFacts): string {
  return createHash('sha256').update(canonicalJson({ template, facts })).digest('hex');
}
