/**
 * The one way drivers get a card's bytes: the file on this instance's disk
 * when it is there and is the card the post was rendered with, else the copy
 * in the database (store/card-store.ts). Another instance may have rendered
 * the post; the disk is only a cache.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RenderedMedia } from '../render/types';
import { sha256Hex } from '../render/card-hash';
import { findCard } from '../store/card-store';
import type { Store } from '../store/open';

export interface CardBytes {
  bytes: Buffer;
  mime: string;
  /** Where the bytes came from, for logs and tests. */
  from: 'file' | 'database';
}

/** Reads one card of a rendered post; `mediaRoot` is what `media.file` is relative to. */
export type ReadCard = (mediaRoot: string, media: Pick<RenderedMedia, 'file' | 'mime' | 'sha256'>) => Promise<CardBytes>;

/**
 * The card is nowhere: neither on disk nor in the database (or only bytes
 * that are not the rendering's). Not a publish failure: the scheduler sends
 * the post back to be rendered again (store/card-store.ts `returnForRender`).
 */
export class CardMissingError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`card ${file} is missing (${reason}): the post goes back to be rendered again`);
    this.name = 'CardMissingError';
  }
}

/**
 * A card reader over the local disk and, when given, the ledger database.
 * A file whose SHA-256 differs from the rendering's is stale (this instance
 * drew an older rendering of the same revision before a template change) and
 * is passed over; renderings from before the database kept cards carry no
 * hash and are read from disk as they always were.
 */
export function createCardReader(store: Store | null): ReadCard {
  return async (mediaRoot, media) => {
    let fileProblem: string;
    try {
      const bytes = await fs.readFile(path.resolve(mediaRoot, media.file));
      if (!media.sha256 || sha256Hex(bytes) === media.sha256) return { bytes, mime: media.mime, from: 'file' };
      fileProblem = 'the file on disk is from another rendering';
    } catch (error) {
      fileProblem = `not on this machine's disk: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`;
    }
    if (!store) throw new CardMissingError(media.file, fileProblem);
    const stored = await findCard(store, media.file);
    if (!stored) throw new CardMissingError(media.file, `${fileProblem}, and not in the database`);
    // The stored bytes are checked too: a row can only be stale if a re-render raced this read.
    if (media.sha256 && stored.sha256 !== media.sha256) throw new CardMissingError(media.file, `${fileProblem}, and the database holds another rendering`);
    return { bytes: stored.bytes, mime: stored.mime, from: 'database' };
  };
}

/** Reads cards from disk only: for channels used without a ledger (check --online, tests). */
export const readCardFromDisk: ReadCard = createCardReader(null);
