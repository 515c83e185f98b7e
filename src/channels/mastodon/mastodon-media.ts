/**
 * One card to Mastodon: `POST /api/v2/media` (multipart `file`, `description`
 * = alt text). 200 means processed; 202 means the instance is still working on
 * it, and `GET /api/v1/media/:id` answers 206 until `url` is set. The poll
 * waits on the injected clock, is bounded, and stops when the post's deadline
 * (the signal) comes: an unfinished card is not a post, nothing was published.
 */
import path from 'node:path';
import type { Clock } from '../../clock';
import { PublishError } from '../publish-error';
import type { MastodonClient } from './mastodon-client';

export interface MediaPollOptions {
  /** Status checks before giving up (then the post retries as transient). */
  maxPolls: number;
  /** First wait between checks; doubles up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_MEDIA_POLL: MediaPollOptions = { maxPolls: 20, initialDelayMs: 1000, maxDelayMs: 5000 };

interface MediaAttachment {
  id?: string;
  url?: string | null;
}

export interface UploadInput {
  client: MastodonClient;
  clock: Clock;
  poll: MediaPollOptions;
  bytes: Buffer;
  mime: string;
  /** Name of the card file, sent as the part's filename (Mastodon reads the type from it too). */
  file: string;
  alt: string;
  signal?: AbortSignal;
}

/** Uploads one card; resolves with its media id once the instance has processed it. */
export async function uploadMastodonImage(input: UploadInput): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([input.bytes], { type: input.mime }), path.basename(input.file));
  form.append('description', input.alt);
  const uploaded = await input.client.call<MediaAttachment>({ method: 'POST', path: '/api/v2/media', form, ...(input.signal ? { signal: input.signal } : {}) });
  const id = uploaded.body.id;
  if (!id) throw new PublishError('transient', 'the Mastodon instance accepted the card without a media id; nothing was posted yet: will retry.', { code: 'media-no-id' });
  if (uploaded.status === 200 && uploaded.body.url) return id;
  await waitUntilProcessed(input, id);
  return id;
}

async function waitUntilProcessed(input: UploadInput, id: string): Promise<void> {
  let delay = input.poll.initialDelayMs;
  for (let poll = 1; poll <= input.poll.maxPolls; poll++) {
    await input.clock.sleep(delay, input.signal);
    if (input.signal?.aborted) {
      throw new PublishError('transient', `stopped waiting for the Mastodon instance to process card ${id} after ${poll - 1} status checks: the post's deadline or a shutdown came first; nothing was posted.`, { code: 'media:stopped' });
    }
    const answer = await input.client.call<MediaAttachment>({ method: 'GET', path: `/api/v1/media/${encodeURIComponent(id)}`, ...(input.signal ? { signal: input.signal } : {}) });
    if (answer.status === 200 && answer.body.url) return;
    delay = Math.min(delay * 2, input.poll.maxDelayMs);
  }
  throw new PublishError('transient', `the Mastodon instance was still processing card ${id} after ${input.poll.maxPolls} status checks; nothing was posted yet: will retry.`, { code: 'media:timeout' });
}
