/**
 * `/`: every office of the deployment, searchable by name and city (`?q=`,
 * filtered on the server: no script), each with the opening open now and
 * the next to open. With one
 * office, `/` is that office's page (shared/CONTRACT.md): a 302 there, so the
 * one office has one address and its links stay the same when a second comes.
 */
import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../access';
import { headlineOpenings, openingView } from './opening-view';
import { sendPage, type PublicContext } from './public-context';
import { INDEX_PATH, officePaths } from './public-paths';
import { matchesSearch } from './search-text';

export function registerOfficeIndex(app: FastifyInstance, ctx: PublicContext): void {
  app.get(INDEX_PATH, { config: { access: PUBLIC } }, async (request, reply) => {
    const served = ctx.web.offices();
    if (served.length === 1) return reply.header('cache-control', 'public, max-age=30').redirect(officePaths(served[0]!.id).page, 302);
    const raw = (request.query as Record<string, unknown>).q;
    const query = typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
    const loaded = await Promise.all(served.map((summary) => ctx.officeData(summary.id)));
    const offices = loaded
      .filter((data) => data !== null)
      .filter((data) => matchesSearch(query, [data.office.name, data.office.shortName, data.office.city, data.office.id]))
      .sort((a, b) => a.office.name.localeCompare(b.office.name, 'id'))
      .map((data) => {
        const headline = data.openings ? headlineOpenings(data.openings).map(openingView) : [];
        return { name: data.office.name, city: data.office.city, href: officePaths(data.office.id).page, headline, unavailable: data.openings === null };
      });
    const resultLabel = query ? `${offices.length} kantor cocok dengan “${query}”` : `Semua kantor (${offices.length})`;
    return sendPage(ctx, reply, 'index', { title: 'Jadwal pembukaan kuota antrean', description: 'Jadwal resmi pembukaan kuota antrean dan arsip pengumuman setiap kantor.', query, offices, resultLabel });
  });
}
