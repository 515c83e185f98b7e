/**
 * What an approval binds to: a digest of what a post would show — its text,
 * each card's alt text and bytes — from the rendering the ledger keeps. File
 * paths and sizes are left out: a card drawn again into the same bytes is the
 * same content, a card that looks different is not.
 */
import { createHash } from 'node:crypto';
import type { RenderedPost } from '../render/types';

export function contentHash(renderedJson: string): string {
  const rendered = JSON.parse(renderedJson) as Partial<RenderedPost>;
  const shown = {
    text: rendered.text ?? null,
    // A rendering from before card digests were recorded names its file instead: still one per content.
    media: (rendered.media ?? []).map((media) => ({ alt: media.alt, mime: media.mime, card: media.sha256 ?? `file:${media.file}` })),
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}
