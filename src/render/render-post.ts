/**
 * Renders one post completely ahead of its due time: caption, card image on
 * disk, alt text. At the due moment only the channel call is left.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import type { PlannedPost } from '../plan/types';
import { renderAlt, renderCaption } from './caption';
import { rasterizeCard, renderCardSvg } from './card';
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
): Promise<RenderedPost> {
  if (path.isAbsolute(out.relDir) || out.relDir.split(/[\\/]/).includes('..')) {
    throw new AppError('render-failed', `media directory "${out.relDir}" must be relative and stay inside ${out.rootDir}.`);
  }
  const text = renderCaption(templates, post, target.channelId);
  const alt = renderAlt(templates, post);
  const svg = renderCardSvg(templates, post);
  const image = await rasterizeCard(svg, target.mime);
  const name = target.mime === 'image/png' ? 'card.png' : 'card.jpg';
  const dir = path.join(out.rootDir, out.relDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  // Write then rename: a reader (the outbox, a retry) never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, image.data);
  fs.renameSync(tmp, file);
  const relFile = path.posix.join(out.relDir.split(path.sep).join('/'), name);
  return {
    text,
    media: [{ file: relFile, mime: target.mime, width: image.width, height: image.height, bytes: image.data.length, alt }],
  };
}
