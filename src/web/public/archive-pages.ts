/**
 * `/o/{office}/archive`: everything the office published, newest first, 20 a
 * page, searchable by date; `/o/{office}/archive/{CODE}`: one announcement's
 * permanent page (what a card's code and QR lead to). Both read the ledger
 * through public/announcements.ts only: published posts, nothing planned.
 */
import type { FastifyInstance } from 'fastify';
import { findAnnouncementsByCode, listAnnouncements } from '../../public/announcements';
import type { PublicAnnouncement } from '../../public/types';
import { parseVerifyCode } from '../../render/verify-code';
import { PUBLIC } from '../access';
import { announcementView } from './announcement-view';
import { nextPageQuery, parseArchiveQuery } from './archive-query';
import type { PublicOfficeData } from './office-data';
import { sendPage, sendPublicError, type PublicContext } from './public-context';
import { officePaths } from './public-paths';
import { answerCode } from './verify-pages';

export const ARCHIVE_PAGE_SIZE = 20;
/** How far back an entry page of a correction looks for what it corrects. */
const CORRECTED_WITHIN_MS = 60 * 86_400_000;

export function registerArchivePages(app: FastifyInstance, ctx: PublicContext): void {
  app.get('/o/:office/archive', { config: { access: PUBLIC } }, async (request, reply) => {
    const data = await ctx.officeData((request.params as { office: string }).office);
    if (!data) return sendPublicError(ctx, reply, 404);
    const { office } = data;
    const paths = officePaths(office.id);
    const query = parseArchiveQuery(request.query as Record<string, unknown>, office.timezone);
    const common = {
      title: 'Arsip pengumuman',
      description: `Semua pengumuman kuota antrean yang diunggah ${office.name}.`,
      office: { id: office.id, name: office.name, current: 'archive' as const },
      atomHref: paths.atom,
      officeName: office.name,
      zoneLabel: office.zoneLabel,
      paths,
      query,
      filtered: Boolean(query.dari || query.sampai),
    };
    if (query.problem) return sendPage(ctx, reply, 'archive', { ...common, problem: query.problem }, 400);
    const found = await listAnnouncements(ctx.web.store, office.id, {
      ...data.announcementOptions,
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.before ? { before: query.before } : {}),
      limit: ARCHIVE_PAGE_SIZE + 1,
    });
    const shown = found.slice(0, ARCHIVE_PAGE_SIZE);
    const last = shown[shown.length - 1];
    return sendPage(ctx, reply, 'archive', {
      ...common,
      resultLabel: resultLabel(shown.length, common.filtered, Boolean(query.before)),
      announcements: shown.map((announcement) => announcementView(announcement, office.timezone, found)),
      nextHref: found.length > ARCHIVE_PAGE_SIZE && last ? `${paths.archive}${nextPageQuery(query, last.publishedAt)}` : null,
      firstHref: query.before ? paths.archive : null,
    });
  });

  app.get('/o/:office/archive/:code', { config: { access: PUBLIC } }, async (request, reply) => {
    const params = request.params as { office: string; code: string };
    const data = await ctx.officeData(params.office);
    if (!data) return sendPublicError(ctx, reply, 404);
    const code = parseVerifyCode(params.code);
    if (!code) return sendPublicError(ctx, reply, 404);
    const paths = officePaths(data.office.id);
    // `k7m2-q9xd` typed by hand: the one address of the entry.
    if (code !== params.code) return reply.redirect(paths.entry(code), 301);
    const [announcement] = await findAnnouncementsByCode(ctx.web.store, code, data.office.id, data.announcementOptions);
    // Not this office's: the code may be another office's (its entry), or nobody's ("tidak ditemukan").
    if (!announcement) return answerCode(ctx, reply, code);
    const corrected = await correctedBy(ctx, data, announcement);
    return sendPage(ctx, reply, 'entry', {
      title: 'Pengumuman',
      titleCode: announcement.codeLabel,
      description: `Pengumuman resmi ${data.office.name} dengan kode cek ${announcement.codeLabel}.`,
      office: { id: data.office.id, name: data.office.name, current: null },
      atomHref: paths.atom,
      officeName: data.office.name,
      paths,
      announcement: announcementView(announcement, data.office.timezone, corrected),
    });
  });
}

/** For a correction or cancellation: the earlier announcements of the same opening, which name it in `correctedBy`. */
async function correctedBy(ctx: PublicContext, data: PublicOfficeData, announcement: PublicAnnouncement): Promise<PublicAnnouncement[]> {
  if ((announcement.kind !== 'correction' && announcement.kind !== 'cancellation') || announcement.releaseId === null) return [];
  const earlier = await listAnnouncements(ctx.web.store, data.office.id, {
    ...data.announcementOptions,
    before: announcement.publishedAt,
    from: new Date(announcement.publishedAt.getTime() - CORRECTED_WITHIN_MS),
    limit: 200,
  });
  return earlier.filter((each) => each.releaseId === announcement.releaseId);
}

function resultLabel(count: number, filtered: boolean, later: boolean): string {
  if (count === 0) return filtered ? 'Tidak ada pengumuman pada tanggal itu' : later ? 'Tidak ada pengumuman yang lebih lama' : 'Belum ada pengumuman';
  if (later) return `Pengumuman yang lebih lama (${count})`;
  return filtered ? `${count} pengumuman pada tanggal itu` : 'Pengumuman terbaru';
}
