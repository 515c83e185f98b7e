/**
 * What Instagram does with `image_url`: download it over HTTP(S) and accept
 * only a JPEG within the size, width and aspect-ratio limits.
 */
import crypto from 'node:crypto';
import sharp from 'sharp';
import { GRAPH_ERRORS, type GraphErrorSpec } from './graph-error-bodies';

export interface FetchedImage {
  url: string;
  bytes: number;
  sha256: string;
  width: number;
  height: number;
  contentType: string | null;
}

export type ImageCheck = { ok: true; image: FetchedImage } | { ok: false; error: GraphErrorSpec; reason: string };

const MAX_BYTES = 8 * 1024 * 1024;

export async function fetchAndCheckImage(url: string, validate: boolean): Promise<ImageCheck> {
  let data: Buffer;
  let contentType: string | null;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return { ok: false, error: GRAPH_ERRORS.notFetchable, reason: `HTTP ${response.status}` };
    contentType = response.headers.get('content-type');
    data = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    return { ok: false, error: GRAPH_ERRORS.notFetchable, reason: (error as Error).message };
  }
  const base = { url, bytes: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex'), contentType };
  if (!validate) return { ok: true, image: { ...base, width: 0, height: 0 } };
  if (data.length > MAX_BYTES) return { ok: false, error: GRAPH_ERRORS.tooLarge, reason: `${data.length} bytes` };
  const isJpeg = data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
  if (!isJpeg) return { ok: false, error: GRAPH_ERRORS.badFormat, reason: 'not a JPEG (magic bytes)' };
  let width: number;
  let height: number;
  try {
    const meta = await sharp(data).metadata();
    if (meta.format !== 'jpeg' || !meta.width || !meta.height) return { ok: false, error: GRAPH_ERRORS.badFormat, reason: `format ${meta.format}` };
    width = meta.width;
    height = meta.height;
  } catch (error) {
    return { ok: false, error: GRAPH_ERRORS.badFormat, reason: (error as Error).message };
  }
  const ratio = width / height;
  if (ratio < 0.8 - 1e-9 || ratio > 1.91 + 1e-9) return { ok: false, error: GRAPH_ERRORS.badAspect, reason: `${width}×${height}` };
  // Instagram rescales rather than refusing odd widths in the app, but the API refuses outside 320–1440.
  if (width < 320 || width > 1440) return { ok: false, error: GRAPH_ERRORS.badFormat, reason: `width ${width}` };
  return { ok: true, image: { ...base, width, height } };
}
