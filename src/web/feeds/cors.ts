/**
 * CORS for the feeds and the API, and only for them: any site may read them
 * from a browser (a city's portal showing the next opening, a volunteer's
 * map), without credentials. The console never answers cross-origin.
 *
 * Written here rather than with @fastify/cors: that plugin always registers an
 * `OPTIONS *` route without `config.access`, which our route guard refuses
 * (web/guard.ts), and its hook applies to whatever shares its scope. What we
 * need is small: a route-level hook that puts `*` on every answer of these
 * routes (errors too), and a preflight answer for browsers that send one (a
 * GET with If-None-Match is not a "simple" request).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC } from '../access';

/** Response headers a script may read besides the safelisted ones (Last-Modified, Cache-Control, Content-Type are). */
const EXPOSED = 'ETag, Link';

function allowAny(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSED).header('cross-origin-resource-policy', 'cross-origin');
}

/** An `onRequest` hook for the routes any origin may read: set before the handler, so errors carry it too. */
export async function allowAnyOrigin(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  allowAny(reply);
}

/**
 * Answers browsers' preflight (`OPTIONS`) for `url`: GET and HEAD from any
 * origin, with whatever request headers they ask for (there are no
 * credentials to protect), remembered for a day.
 */
export function answerPreflight(app: FastifyInstance, url: string): void {
  app.options(url, { config: { access: PUBLIC } }, async (request, reply) => {
    allowAny(reply);
    const asked = request.headers['access-control-request-headers'];
    reply.header('access-control-allow-methods', 'GET, HEAD, OPTIONS').header('access-control-max-age', '86400').header('vary', 'Access-Control-Request-Headers');
    if (typeof asked === 'string' && asked.trim() !== '') reply.header('access-control-allow-headers', asked);
    return reply.code(204).send();
  });
}
