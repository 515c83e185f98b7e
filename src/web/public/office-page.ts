/**
 * `/o/{office}/`: the office's public page: the openings open now and to
 * come (state, days, counts), the past month's in one line each, how to book, the "GRATIS, waspada calo" message, the
 * cek-keaslian box, and its archive, calendar, feed and widget.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PUBLIC } from '../access';
import { bookingView } from './office-view';
import { openingView, openNow, pastOpenings, upcomingOpenings } from './opening-view';
import { sendPage, sendPublicError, type PublicContext } from './public-context';
import { officePaths } from './public-paths';
import { embedCode } from './widget';

export function registerOfficePage(app: FastifyInstance, ctx: PublicContext): void {
  app.get('/o/:office', { config: { access: PUBLIC } }, async (request, reply) => reply.redirect(officePaths((request.params as { office: string }).office).page, 301));
  app.get('/o/:office/', { config: { access: PUBLIC } }, async (request, reply) => {
    const data = await ctx.officeData((request.params as { office: string }).office);
    if (!data) return sendPublicError(ctx, reply, 404);
    const { office } = data;
    const paths = officePaths(office.id);
    const now = ctx.web.clock.now();
    return sendPage(ctx, reply, 'office', {
      title: `Jadwal kuota ${office.name}`,
      description: `Jadwal resmi pembukaan kuota antrean ${office.name}, cara mendaftar, dan cek keaslian pengumuman.`,
      office: { id: office.id, name: office.name, current: 'page' },
      atomHref: paths.atom,
      officeName: office.name,
      zoneLabel: office.zoneLabel,
      dryRun: data.dryRun,
      unavailable: data.openings === null,
      open: data.openings ? openNow(data.openings).map(openingView) : [],
      upcoming: data.openings ? upcomingOpenings(data.openings, now).map(openingView) : [],
      past: data.openings ? pastOpenings(data.openings, now).map(openingView) : [],
      booking: bookingView(office),
      paths,
      embed: embedCode(origin(request), office),
    });
  });
}

/** `https://kuota.example.go.id` as the visitor reached us (behind a trusted proxy: as it says). */
export function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
