/**
 * `/o/{office}/archive/{CODE}/card-{n}.jpg`: a published card's image, as
 * published (public/announcements.ts readPublicCard); `?w=540` the same card
 * 540 px wide for phones (the archive's srcset), made with sharp once and
 * kept in memory (an LRU bounded in bytes: cards are ~200 kB, their small
 * copies ~60 kB).
 *
 * The bytes of a code and index never change (the code is derived from what
 * the card shows; a correction has a code of its own): cached for a year,
 * immutable, with the image's sha256 as its ETag.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { readPublicCard } from '../../public/announcements';
import { parseVerifyCode } from '../../render/verify-code';
import { PUBLIC } from '../access';
import { SMALL_CARD_WIDTH } from './announcement-view';
import { IMMUTABLE } from './public-assets';
import { sendPublicError, type PublicContext } from './public-context';

/** Widths served besides the original: only those the pages link, so nobody can make us resize at will. */
const WIDTHS: readonly number[] = [SMALL_CARD_WIDTH];
const RESIZED_BUDGET_BYTES = 32 * 1024 * 1024;

interface Image {
  bytes: Buffer;
  mime: string;
  sha256: string;
}

export function registerCardImages(app: FastifyInstance, ctx: PublicContext): void {
  const resized = createByteLru<Image>(RESIZED_BUDGET_BYTES);
  // At an opening minute many phones ask for the same new card at once: one resize each.
  const pending = new Map<string, Promise<Image>>();
  const resize = (key: string, original: Buffer, width: number): Promise<Image> => {
    let job = pending.get(key);
    if (!job) {
      job = sharp(original)
        .resize({ width, withoutEnlargement: true })
        .jpeg({ quality: 80, progressive: true, mozjpeg: true })
        .toBuffer()
        .then((bytes) => {
          const image = { bytes, mime: 'image/jpeg', sha256: sha256Of(bytes) };
          resized.set(key, image, bytes.length);
          return image;
        })
        .finally(() => pending.delete(key));
      pending.set(key, job);
    }
    return job;
  };
  app.get('/o/:office/archive/:code/card-:index(^\\d{1,2}).jpg', { config: { access: PUBLIC } }, async (request, reply) => {
    const params = request.params as { office: string; code: string; index: string };
    const data = await ctx.officeData(params.office);
    const code = parseVerifyCode(params.code);
    const width = Number((request.query as Record<string, unknown>).w ?? 0);
    if (!data || code !== params.code || (width !== 0 && !WIDTHS.includes(width))) return sendPublicError(ctx, reply, 404);
    const original = await readPublicCard(ctx.web.store, code, Number(params.index), { officeId: data.office.id, includeDryRun: data.announcementOptions.includeDryRun });
    if (!original) return sendPublicError(ctx, reply, 404);
    const sha256 = original.sha256 || sha256Of(original.bytes);
    if (width === 0) return sendImage(request, reply, { bytes: original.bytes, mime: original.mime, sha256 });
    const key = `${sha256}:${width}`;
    return sendImage(request, reply, resized.get(key) ?? (await resize(key, original.bytes, width)));
  });
}

function sha256Of(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

function sendImage(request: FastifyRequest, reply: FastifyReply, image: Image): FastifyReply {
  const etag = `"${image.sha256}"`;
  // Public images: other sites and web feed readers may show them (helmet's default would refuse them there).
  reply.header('etag', etag).header('cache-control', IMMUTABLE).header('cross-origin-resource-policy', 'cross-origin');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type(image.mime).send(image.bytes);
}

/** A least-recently-used map that keeps its values' sizes under `budget` bytes. */
export function createByteLru<V>(budget: number): { get(key: string): V | undefined; set(key: string, value: V, size: number): void; readonly bytes: number } {
  const entries = new Map<string, { value: V; size: number }>();
  let total = 0;
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, size) {
      const old = entries.get(key);
      if (old) {
        total -= old.size;
        entries.delete(key);
      }
      if (size > budget) return;
      entries.set(key, { value, size });
      total += size;
      while (total > budget) {
        const [oldest, entry] = entries.entries().next().value!;
        entries.delete(oldest);
        total -= entry.size;
      }
    },
    get bytes() {
      return total;
    },
  };
}
