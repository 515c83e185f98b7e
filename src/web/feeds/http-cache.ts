/**
 * Conditional GET for the feeds and the API: an ETag and a Last-Modified on
 * every answer, and 304 Not Modified to a client that already has it.
 * Calendar apps and feed readers poll the same URL all day; a 304 costs them
 * (and us) no body.
 *
 * `Cache-Control: public, max-age=60`: a minute is short enough that an
 * opening's change reaches pollers quickly and long enough that a CDN or
 * proxy in front absorbs a burst (everyone refreshing when a post goes out).
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CACHE_CONTROL = 'public, max-age=60';

export interface Validators {
  /** A strong ETag, quoted (`"…"`). */
  etag: string;
  /** Null when unknown: then only the ETag is checked. */
  lastModified: Date | null;
}

/** A strong ETag from what decides the body: the same parts give the same tag on every instance. */
export function etagOf(...parts: unknown[]): string {
  return `"${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether the client's copy is current (RFC 9110 §13.2.2): If-None-Match
 * decides when sent (weak comparison, `*` matches); If-Modified-Since only
 * without it, and only to the second (HTTP dates have no milliseconds).
 */
export function isNotModified(request: FastifyRequest, validators: Validators): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const wanted = opaque(validators.etag);
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag.trim()) === wanted);
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined || validators.lastModified === null) return false;
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(validators.lastModified.getTime() / 1000) * 1000 <= since;
}

/** `W/"x"` and `"x"` compare equal (weak comparison). */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** Sets the cache headers, and answers 304 when the client's copy is current; else sends `body`. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, validators: Validators, contentType: string, body: () => string | object): FastifyReply {
  setValidators(reply, validators);
  if (isNotModified(request, validators)) return reply.code(304).send();
  return reply.type(contentType).send(body());
}

export function setValidators(reply: FastifyReply, validators: Validators): void {
  reply.header('cache-control', CACHE_CONTROL).header('etag', validators.etag);
  if (validators.lastModified) reply.header('last-modified', validators.lastModified.toUTCString());
}
