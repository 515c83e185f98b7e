/**
 * One card to X through the v2 chunked upload (PLATFORMS.md): initialize,
 * append (multipart), finalize, STATUS while X processes it, then its alt
 * text. Written out rather than `client.v2.uploadMedia` so the processing
 * poll waits on the injected clock (no hidden timers) and is bounded.
 */
import type { TwitterApiv2 } from 'twitter-api-v2';
import type { Clock } from '../../clock';
import { PublishError } from '../publish-error';

export interface XUploadOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** Bytes per append request; X accepts up to 5 MB per chunk. */
  chunkBytes: number;
  /** Overrides X's `check_after_secs` between STATUS polls (tests use 0). */
  pollDelayMs?: number;
  /** STATUS polls before giving up (the post then retries as transient). */
  maxPolls: number;
}

interface UploadData {
  data?: {
    id?: string;
    processing_info?: { state?: string; check_after_secs?: number; error?: { code?: number; name?: string; message?: string } };
  };
}

/** Uploads `bytes` as a tweet image with `alt` text; returns X's media id. */
export async function uploadXImage(client: TwitterApiv2, bytes: Buffer, mime: string, alt: string, options: XUploadOptions): Promise<string> {
  const init = await client.post<UploadData>('media/upload/initialize', {
    media_type: mime,
    total_bytes: bytes.length,
    media_category: 'tweet_image',
  });
  const id = init.data?.id;
  if (!id) throw new PublishError('transient', 'X started the card upload without a media id; will retry.');
  const params = { id };
  for (let index = 0, offset = 0; offset < bytes.length; index++, offset += options.chunkBytes) {
    const segment = bytes.subarray(offset, Math.min(offset + options.chunkBytes, bytes.length));
    await client.post('media/upload/:id/append', { segment_index: index, media: Buffer.from(segment) }, { params, forceBodyMode: 'form-data' });
  }
  const finalized = await client.post<UploadData>('media/upload/:id/finalize', undefined, { params });
  await waitUntilProcessed(client, id, finalized.data?.processing_info, options);
  if (alt.trim() !== '') await client.createMediaMetadata(id, { alt_text: { text: alt } });
  return id;
}

async function waitUntilProcessed(client: TwitterApiv2, id: string, first: NonNullable<UploadData['data']>['processing_info'], options: XUploadOptions): Promise<void> {
  let info = first;
  for (let poll = 0; info && info.state !== 'succeeded'; poll++) {
    if (info.state === 'failed') {
      throw new PublishError('permanent', `X could not process the card image (${info.error?.name ?? 'processing failed'}): check the card with \`quota-herald preview\` and re-render it.`, {
        code: 'media-processing-failed',
      });
    }
    if (poll >= options.maxPolls) {
      throw new PublishError('transient', `X was still processing the card after ${options.maxPolls} checks; nothing was posted yet: will retry.`);
    }
    await options.clock.sleep(options.pollDelayMs ?? Math.max(1, info.check_after_secs ?? 1) * 1000, options.signal);
    if (options.signal?.aborted) throw new PublishError('transient', 'timed out while X processed the card; nothing was posted yet: will retry.', { code: 'timeout' });
    const status = await client.get<UploadData>('media/upload', { command: 'STATUS', media_id: id });
    info = status.data?.processing_info;
  }
}
