/**
 * A page group's own stylesheet under /admin/assets/: only its pages link it,
 * so console.css stays the shared base and page groups do not edit one file
 * side by side. Read once at start, like the console's other assets; for
 * signed-in users (every page that links one is).
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { SIGNED_IN } from '../access';

export function registerPageStyles(app: FastifyInstance, name: string, file: string): void {
  const bytes = fs.readFileSync(file);
  app.get(`/admin/assets/${name}`, { config: { access: SIGNED_IN } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'private, max-age=3600').send(bytes),
  );
}
