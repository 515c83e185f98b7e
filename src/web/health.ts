/** `/healthz` (the process answers) and `/readyz` (and its database does): for load balancers and containers. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { PUBLIC } from './access';
import type { WebContext } from './console-page';

export function registerHealth(app: FastifyInstance, web: WebContext): void {
  app.get('/healthz', { config: { access: PUBLIC } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: PUBLIC } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(web.store.db);
      return { status: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'readyz: the database does not answer');
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });
}
