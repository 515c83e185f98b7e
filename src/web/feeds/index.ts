/**
 * The machine-readable side of the public record (issue 10): the ICS and
 * Atom feeds under `/o/{office}/` and the JSON API under `/api/v1/`, each in
 * its own encapsulated scope so their CORS headers and JSON errors reach
 * nothing else (the console and the public pages keep theirs).
 */
import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../console-page';
import { installJsonErrors, sendProblem } from './api-errors';
import { registerApiRoutes } from './api-routes';
import { allowAnyOrigin, answerPreflight } from './cors';
import { createFeedOfficeLoader } from './feed-office';
import { registerFeedRoutes } from './feed-routes';

export const API_PREFIX = '/api/v1';

export async function registerFeeds(app: FastifyInstance, web: WebContext): Promise<void> {
  const offices = createFeedOfficeLoader(web);
  await app.register(async (scope) => {
    allowAnyOrigin(scope);
    installJsonErrors(scope);
    registerFeedRoutes(scope, web, offices);
    answerPreflight(scope, '/o/:office/calendar.ics');
    answerPreflight(scope, '/o/:office/feed.atom');
  });
  await app.register(
    async (scope) => {
      allowAnyOrigin(scope);
      installJsonErrors(scope);
      scope.setNotFoundHandler(async (request, reply) => sendProblem(reply, 404, `No such API endpoint: ${request.method} ${request.url.split('?')[0]}. The endpoints are listed in ${API_PREFIX}/openapi.json.`));
      registerApiRoutes(scope, web, offices);
      answerPreflight(scope, '/*');
    },
    { prefix: API_PREFIX },
  );
}
