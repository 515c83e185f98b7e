/**
 * Errors of the feeds and the API as JSON `{ error, message }` (openapi.ts
 * `Error`), whatever went wrong: a client program reads `error`, a developer
 * the message. Nothing internal is shown for a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../public/feeds/api-json';

/** A 4xx/5xx with what to tell the client. */
export class ApiProblemError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'ApiProblemError';
  }
}

const NAMES: Readonly<Record<number, ApiError['error']>> = { 400: 'bad-request', 404: 'not-found', 503: 'unavailable' };

export function sendProblem(reply: FastifyReply, status: number, message: string): FastifyReply {
  const body: ApiError = { error: NAMES[status] ?? (status >= 500 ? 'internal' : 'bad-request'), message };
  // An error is not kept by caches: the office may be back in a moment.
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
}

/** The route-level error handler of the feeds and the API. */
export function sendJsonError(error: FastifyError | ApiProblemError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiProblemError) return sendProblem(reply, error.statusCode, error.message);
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error, url: request.url.split('?')[0] }, 'public feed or API request failed');
    return sendProblem(reply, 500, 'Something went wrong on our side; try again in a minute.');
  }
  return sendProblem(reply, status, error.message);
}

export function unknownOffice(officeId: string): ApiProblemError {
  return new ApiProblemError(404, `There is no office "${officeId}" here: GET /api/v1/offices lists them.`);
}

export function officeUnavailable(officeId: string): ApiProblemError {
  return new ApiProblemError(503, `The configuration of office "${officeId}" cannot be read right now; try again later.`);
}
