/** What the public routes share: the views, the stylesheet's URL, the office loader; and how a page is sent. */
import type { FastifyReply } from 'fastify';
import type { WebContext } from '../console-page';
import type { OfficeDataLoader } from './office-data';
import type { PublicPageFields, PublicViews } from './public-views';

export interface PublicContext {
  web: WebContext;
  views: PublicViews;
  cssHref: string;
  officeData: OfficeDataLoader;
}

/**
 * Pages may be kept 30 s by browsers and a CDN in front: at an opening minute
 * thousands of people reload the same page, and 30 s is the most a state
 * ("akan dibuka" → "dibuka") may lag behind the clock. A 404 is kept as long
 * (a code is looked up again by the next person); other errors are not kept.
 */
export const PAGE_CACHE = 'public, max-age=30';

export function cacheFor(status: number): string {
  return status === 200 || status === 404 ? PAGE_CACHE : 'no-store';
}

export function sendPage(ctx: PublicContext, reply: FastifyReply, view: string, data: PublicPageFields, status = 200): FastifyReply {
  return reply.code(status).type(HTML).header('cache-control', cacheFor(status)).send(pageHtml(ctx, view, data));
}

export const HTML = 'text/html; charset=utf-8';

/** The page as sendPage sends it (for web/public-cache.ts, which keeps it). */
export function pageHtml(ctx: PublicContext, view: string, data: PublicPageFields): string {
  // `Arsip pengumuman · Kantor Imigrasi …`: which office, unless the title already says it.
  const title = data.titleCode ? `${data.title} ${data.titleCode}` : data.title;
  const documentTitle = data.office && !title.includes(data.office.name) ? `${title} · ${data.office.name}` : title;
  return ctx.views.page(view, { ...data, documentTitle, cssHref: ctx.cssHref });
}

/** The Indonesian error page of the public side (also for unknown URLs outside /admin/ and /api/). */
export function sendPublicError(ctx: PublicContext, reply: FastifyReply, status: number): FastifyReply {
  return sendPage(ctx, reply, 'error', errorFields(status), status);
}

export function errorFields(status: number): PublicPageFields {
  const words = ERROR_WORDS[status] ?? (status >= 500 ? ERROR_WORDS[500]! : ERROR_WORDS[400]!);
  return { title: words.title, message: words.message, advice: words.advice };
}

const ERROR_WORDS: Record<number, { title: string; message: string; advice: string }> = {
  400: { title: 'Permintaan tidak dapat dibaca', message: 'Alamat atau isian ini tidak dapat dibaca.', advice: 'Periksa alamatnya, atau mulai lagi dari daftar kantor.' },
  404: { title: 'Halaman tidak ditemukan', message: 'Halaman ini tidak ada.', advice: 'Mungkin alamatnya salah ketik. Jadwal dan pengumuman resmi setiap kantor ada di daftar kantor.' },
  405: { title: 'Permintaan tidak dapat dibaca', message: 'Halaman ini hanya dapat dibuka, tidak dikirimi isian.', advice: 'Buka halamannya dari daftar kantor.' },
  429: { title: 'Terlalu banyak permintaan', message: 'Terlalu banyak permintaan dalam waktu singkat.', advice: 'Tunggu sebentar, lalu muat ulang halaman ini.' },
  500: { title: 'Terjadi gangguan', message: 'Maaf, halaman ini sedang tidak dapat ditampilkan.', advice: 'Coba lagi beberapa saat lagi. Jadwal resmi juga diumumkan di akun media sosial kantor.' },
};
