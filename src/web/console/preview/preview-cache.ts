/**
 * Rendered previews kept briefly, per office, revision and range: a preview
 * page shows a dozen card images, each its own request, and each must find
 * the card rendered for that page instead of planning and rendering the whole
 * range again. A new revision is a new key (the old entry ages out), so an
 * edit shows at once.
 *
 * Each entry renders into its own directory under the scratch dir, named by
 * a hash of its key: no part of a request becomes part of a path, and two
 * ranges never overwrite each other's cards. The directory goes with its entry.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { previewOfficePosts, type OfficeFilesSource, type OfficePreview } from '../../../console/preview';
import type { PreviewRange } from './preview-range';

/** Long enough for a page and its images (and a reload or two), short enough that "now" in the captions stays true. */
export const PREVIEW_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 8;

export interface CachedPreview {
  preview: OfficePreview;
  /** Where the entry's cards are (`readPreviewCard`'s root). */
  mediaDir: string;
}

interface Entry {
  madeAt: number;
  mediaDir: string;
  result: Promise<CachedPreview>;
}

export interface PreviewCache {
  /** The preview of the source's revision for the range: cached, or rendered now (once, however many ask at the same time). */
  get(source: OfficeFilesSource & { revisionId: number }, range: PreviewRange): Promise<CachedPreview>;
  /** Drops every entry and its cards (the server is closing). */
  clear(): void;
}

export function createPreviewCache(options: { scratchDir: string; now: () => Date; ttlMs?: number }): PreviewCache {
  const entries = new Map<string, Entry>();
  const ttl = options.ttlMs ?? PREVIEW_TTL_MS;
  const root = path.join(options.scratchDir, 'preview');

  const drop = (key: string): void => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    // Best effort: a request still reading a card of it gets a 404, and the next page renders again.
    fs.rm(entry.mediaDir, { recursive: true, force: true }, () => undefined);
  };

  return {
    get(source, range) {
      const nowMs = options.now().getTime();
      for (const [key, entry] of entries) if (nowMs - entry.madeAt > ttl) drop(key);
      const key = [source.officeId, source.revisionId, range.from.toISOString(), range.to.toISOString()].join('\n');
      const known = entries.get(key);
      if (known) return known.result;
      const mediaDir = path.join(root, crypto.createHash('sha256').update(key).digest('hex').slice(0, 32));
      const result = (async (): Promise<CachedPreview> => {
        fs.mkdirSync(mediaDir, { recursive: true });
        const preview = await previewOfficePosts(source, { from: range.from, to: range.to, now: options.now(), mediaDir });
        return { preview, mediaDir };
      })();
      entries.set(key, { madeAt: nowMs, mediaDir, result });
      // A failed render is not kept: the next request tries again.
      void result.catch(() => {
        if (entries.get(key)?.result === result) drop(key);
      });
      while (entries.size > MAX_ENTRIES) drop(entries.keys().next().value!);
      return result;
    },
    clear() {
      for (const key of [...entries.keys()]) drop(key);
    },
  };
}
