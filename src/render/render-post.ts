/**
 * Renders one post completely ahead of its due time: caption, card image on
 * disk, alt text. At the due moment only the channel call is left.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { sha256Hex } from './card-hash';
import type { PlannedPost } from '../plan/types';
import { renderAltTexts, renderCaption } from './caption';
import { rasterizeCard, renderCardPages, type DrawnCardCache, type Rasterizer } from './card';
import type { RenderedPost, RenderTarget, TemplateSet } from './types';

/** Where the card goes: `<rootDir>/<relDir>/card.png|jpg`; `relDir` is what the ledger and outbox keep. */
export interface RenderOutput {
  rootDir: string;
  relDir: string;
}

/** Caption for the target channel, card in the target format, alt text. */
export async function renderPost(
  templates: TemplateSet,
  post: PlannedPost,
  target: RenderTarget,
  out: RenderOutput,
  /** A shared `RasterCache().rasterize` when rendering many posts (preview, check, simulate). */
  rasterize: Rasterizer = rasterizeCard,
  /** A batch's shared cards (`DrawnCardCache`): the other channel's post of a subject reuses them. */
  drawn?: DrawnCardCache,
): Promise<RenderedPost> {
  if (path.isAbsolute(out.relDir) || out.relDir.split(/[\\/]/).includes('..')) {
    throw new AppError('render-failed', `media directory "${out.relDir}" must be relative and stay inside ${out.rootDir}.`);
  }
  const text = renderCaption(templates, post, target.channelId);
  // Alt text per channel: its override and its platform's limit (caption.ts).
  const pages = renderCardPages(templates, post, renderAltTexts(templates, post, target.channelId), drawn);
  const dir = path.join(out.rootDir, out.relDir);
  fs.mkdirSync(dir, { recursive: true });
  const media: RenderedPost['media'] = [];
  // Every page at once: sharp draws them on its worker threads.
  const images = await Promise.all(pages.map((page) => rasterize(page.svg, target.mime)));
  for (const [index, page] of pages.entries()) {
    const image = images[index]!;
    // card.png, then card-2.png, …: page 1 keeps the name it always had.
    const name = `card${index === 0 ? '' : `-${index + 1}`}.${target.mime === 'image/png' ? 'png' : 'jpg'}`;
    const file = path.join(dir, name);
    // Write then rename: a reader (the outbox, a retry) never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, image.data);
    fs.renameSync(tmp, file);
    const relFile = path.posix.join(out.relDir.split(path.sep).join('/'), name);
    media.push({ file: relFile, mime: target.mime, width: image.width, height: image.height, bytes: image.data.length, alt: page.alt, sha256: sha256Hex(image.data) });
  }
  return { text, media };
}
