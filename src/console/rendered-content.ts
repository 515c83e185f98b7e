/**
 * What a ledger post will show, from its stored rendering: the caption and its
 * cards in order. The console shows exactly this (never a fresh rendering), so
 * what staff approve is what the content hash binds to.
 */
import type { RenderedPost } from '../render/types';
import type { LedgerPost } from '../store/types';

export interface RenderedCardView {
  /** 1-based: the order on the platform (a carousel, X's images). */
  position: number;
  alt: string;
  mime: string;
  width: number;
  height: number;
}

export interface RenderedContentView {
  caption: string;
  cards: RenderedCardView[];
}

/** Null while the post is not rendered (or its stored rendering cannot be read). */
export function renderedContent(post: Pick<LedgerPost, 'renderedJson'>): RenderedContentView | null {
  const rendered = parseRendered(post);
  if (!rendered) return null;
  return {
    caption: rendered.text,
    cards: rendered.media.map((media, index) => ({ position: index + 1, alt: media.alt, mime: media.mime, width: media.width, height: media.height })),
  };
}

/** The stored rendering, or null. */
export function parseRendered(post: Pick<LedgerPost, 'renderedJson'>): RenderedPost | null {
  if (post.renderedJson === null) return null;
  try {
    const value = JSON.parse(post.renderedJson) as Partial<RenderedPost> | null;
    if (!value || typeof value.text !== 'string' || !Array.isArray(value.media)) return null;
    return value as RenderedPost;
  } catch {
    return null;
  }
}
