/**
 * The machine-readable side of the public record (issue 10): the ICS and
 * Atom feeds under `/o/{office}/` and the JSON API under `/api/v1/`.
 * Every route is registered with FEED_ROUTE (route-options.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../console-page';
import { sendProblem } from './api-errors';
import { registerApiRoutes } from './api-routes';
import { answerPreflight } from './cors';
import { createFeedOfficeLoader } from './feed-office';
import { registerFeedRoutes } from './feed-routes';
import { API_PREFIX, FEED_ROUTE } from './route-options';

export function registerFeeds(app: FastifyInstance, web: WebContext): void {
  const offices = createFeedOfficeLoader(web);
  registerFeedRoutes(app, web, offices);
  registerApiRoutes(app, web, offices);
  // Any other GET under the API: a JSON 404 that says where the endpoints are listed.
  app.get(`${API_PREFIX}/*`, FEED_ROUTE, async (request, reply) =>
    sendProblem(reply, 404, `No such API endpoint: ${request.method} ${request.url.split('?')[0]}. The endpoints are listed in ${API_PREFIX}/openapi.json.`),
  );
  for (const url of ['/o/:office/calendar.ics', '/o/:office/feed.atom', `${API_PREFIX}/*`]) answerPreflight(app, url);
}
