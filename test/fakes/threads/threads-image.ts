/**
 * What Threads does with `image_url`: download it over HTTP(S) and accept a
 * JPEG or PNG of at most 8 MB (docs/channels/threads.md §3; widths outside
 * 320–1440 are scaled, not refused). Also the Threads-specific error bodies.
 */
import crypto from 'node:crypto';
import sharp from 'sharp';
import { GRAPH_ERRORS, type GraphErrorSpec } from '../instagram/graph-error-bodies';

export interface ThreadsImage {
  url: string;
  bytes: number;
  sha256: string;
  width: number;
  height: number;
  mime: string;
}

/** Errors the fake Threads server answers on its own (besides the Graph ones it shares with Instagram). */
export const THREADS_ERRORS = {
  textTooLong: { status: 400, code: 100, message: 'Param text must be at most 500 characters long.' },
  linkLimit: { status: 400, code: 100, message: 'THREADS_API__LINK_LIMIT_EXCEEDED' },
  notReady: { status: 400, code: 24, subcode: 4279009, message: 'Media Not Found', userMessage: 'The requested resource does not exist.' },
  /** [assumed] the documented limit, refused like Instagram's. */
  publishLimit: { status: 400, code: 9, message: 'Application request limit reached' },
  tooYoung: { status: 400, code: 100, message: 'Tokens must be at least 24 hours old to be refreshed.' },
  notFetchable: { ...GRAPH_ERRORS.notFetchable, message: 'The media could not be fetched from this URI.' },
  badFormat: { status: 400, code: 100, message: 'Invalid image: only JPEG and PNG are accepted.' },
  tooLarge: { status: 400, code: 100, message: 'The image is larger than 8 MB.' },
  userRestricted: { status: 400, code: 4279013, message: 'The user is restricted from publishing.' },
} satisfies Record<string, GraphErrorSpec>;

export type ThreadsImageCheck = { ok: true; image: ThreadsImage } | { ok: false; error: GraphErrorSpec; reason: string };

const MAX_BYTES = 8 * 1024 * 1024;

export async function fetchThreadsImage(url: string, validate: boolean): Promise<ThreadsImageCheck> {
  let data: Buffer;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return { ok: false, error: THREADS_ERRORS.notFetchable, reason: `HTTP ${response.status}` };
    data = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    return { ok: false, error: THREADS_ERRORS.notFetchable, reason: (error as Error).message };
  }
  const base = { url, bytes: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex') };
  if (!validate) return { ok: true, image: { ...base, width: 0, height: 0, mime: 'unchecked' } };
  if (data.length > MAX_BYTES) return { ok: false, error: THREADS_ERRORS.tooLarge, reason: `${data.length} bytes` };
  try {
    const meta = await sharp(data).metadata();
    if ((meta.format !== 'jpeg' && meta.format !== 'png') || !meta.width || !meta.height) return { ok: false, error: THREADS_ERRORS.badFormat, reason: `format ${meta.format}` };
    return { ok: true, image: { ...base, width: meta.width, height: meta.height, mime: `image/${meta.format}` } };
  } catch (error) {
    return { ok: false, error: THREADS_ERRORS.badFormat, reason: (error as Error).message };
  }
}
