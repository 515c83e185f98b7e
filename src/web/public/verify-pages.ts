/**
 * Verification: `/v/{CODE}` (what the QR code on every card holds) and the
 * cek-keaslian box (`/v?kode=k7m2 q9xd`). A code of a published announcement
 * leads to its archive entry (302); a code two offices share lists both; a
 * code of nothing says so plainly (404): that image is not from any office
 * here. What cannot be a code (a typo) shows the box again with the problem (400).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { findAnnouncementsByCode } from '../../public/announcements';
import type { PublicAnnouncement } from '../../public/types';
import { parseVerifyCode } from '../../render/verify-code';
import { PUBLIC } from '../access';
import { KIND_LABELS, publicInstant } from './announcement-view';
import { sendPage, type PublicContext } from './public-context';
import { officePaths, VERIFY_PATH } from './public-paths';

const FORM_TITLE = 'Cek keaslian pengumuman';

export function registerVerifyPages(app: FastifyInstance, ctx: PublicContext): void {
  app.get(VERIFY_PATH, { config: { access: PUBLIC } }, async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).kode;
    const typed = typeof raw === 'string' ? raw.trim().slice(0, 40) : '';
    if (!typed) return sendPage(ctx, reply, 'verify', { title: FORM_TITLE, description: 'Cek apakah gambar pengumuman kuota antrean benar dari kantor resmi.' });
    return answerTyped(ctx, reply, typed);
  });
  app.get(`${VERIFY_PATH}/:code`, { config: { access: PUBLIC } }, async (request, reply) => answerTyped(ctx, reply, (request.params as { code: string }).code.slice(0, 40)));
}

async function answerTyped(ctx: PublicContext, reply: FastifyReply, typed: string): Promise<FastifyReply> {
  const code = parseVerifyCode(typed);
  if (!code) {
    return sendPage(ctx, reply, 'verify', { title: FORM_TITLE, value: typed, formProblem: `“${typed}” bukan kode cek: kode terdiri dari 8 huruf dan angka, misalnya K7M2-Q9XD (tanpa huruf I, L, O dan U).` }, 400);
  }
  return answerCode(ctx, reply, code);
}

/** The answer for a well-formed code: the entry, the offices sharing it, or "tidak ditemukan". */
export async function answerCode(ctx: PublicContext, reply: FastifyReply, code: string): Promise<FastifyReply> {
  const found = await findEverywhere(ctx, code);
  if (found.length === 1) return reply.header('cache-control', 'public, max-age=30').redirect(officePaths(found[0]!.announcement.officeId).entry(code), 302);
  if (found.length === 0) return sendPage(ctx, reply, 'verify', notFoundData(code), 404);
  const codeLabel = found[0]!.announcement.codeLabel;
  return sendPage(ctx, reply, 'verify', {
    title: `Kode ${codeLabel}: ${found.length} pengumuman`,
    codeLabel,
    value: codeLabel,
    matches: found.map(({ announcement, officeName, zone }) => ({
      href: officePaths(announcement.officeId).entry(code),
      officeName,
      kindLabel: KIND_LABELS[announcement.kind],
      publishedLabel: publicInstant(announcement.publishedAt, zone),
      publishedIso: announcement.publishedAt.toISOString(),
    })),
  });
}

/**
 * The code's announcements in the offices served now. Two queries over every
 * office (what reached a platform, and that with dry runs), then only the
 * offices found are loaded: a dry-run post counts only for a demo office
 * (every channel the outbox), which shows its dry runs on its pages too.
 */
async function findEverywhere(ctx: PublicContext, code: string): Promise<{ announcement: PublicAnnouncement; officeName: string; zone: string }[]> {
  const [published, withDryRuns] = await Promise.all([findAnnouncementsByCode(ctx.web.store, code), findAnnouncementsByCode(ctx.web.store, code, undefined, { includeDryRun: true })]);
  const real = new Map(published.map((announcement) => [announcement.officeId, announcement]));
  const found: { announcement: PublicAnnouncement; officeName: string; zone: string }[] = [];
  for (const withDryRun of withDryRuns) {
    const data = await ctx.officeData(withDryRun.officeId);
    // A real office's announcement as the public saw it: without its channels' dry runs.
    const announcement = data?.dryRun ? withDryRun : real.get(withDryRun.officeId);
    if (data && announcement) found.push({ announcement, officeName: data.office.name, zone: data.office.timezone });
  }
  return found;
}

/** The "tidak ditemukan" words for a code, as on /v/{CODE} and on an office's entry URL. */
export function notFoundData(code: string): Record<string, unknown> & { title: string } {
  const codeLabel = `${code.slice(0, 4)}-${code.slice(4)}`;
  return {
    title: `Kode ${codeLabel} tidak ditemukan`,
    notFound: true,
    codeLabel,
    value: codeLabel,
  };
}
