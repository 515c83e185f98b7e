/** One image attached to a post, already on disk. */
export interface RenderedMedia {
  /** Path relative to the data directory (or the simulate output directory). */
  file: string;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  bytes: number;
  alt: string;
}

/** A post ready to hand to a channel: nothing left to compute at the due moment. */
export interface RenderedPost {
  text: string;
  media: RenderedMedia[];
}
