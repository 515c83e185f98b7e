/**
 * One flow for every Facebook Page post, 0 to 10 cards (docs/channels/facebook.md §2):
 *
 *   POST /{page-id}/photos   multipart source=<card bytes>, published=false, alt_text_custom   (per card; invisible)
 *   ── checkpoint('sending') ──
 *   POST /{page-id}/feed     message, attached_media[i]={"media_fbid":…}                      (the public post)
 *   GET  /{post-id}?fields=permalink_url                                                      (best effort)
 *
 * Why one flow and not `POST /{page-id}/photos` published for a single card:
 * the point of no return is then always the same call with the same caption
 * parameter (`message` on /feed), the id is always a Page post id (the one
 * `published_posts` reads back), and alt text goes the same way for 1 or 10.
 * The cards travel as bytes (multipart `source`), so no public media server is
 * needed and Facebook never has to fetch anything from the office.
 */
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { ReadCard } from '../card-bytes';
import type { PublishRequest } from '../channel';
import { PublishError } from '../publish-error';
import type { GraphClient } from '../instagram/graph-client';
import { classifyFacebookError, type FacebookPhase } from './facebook-errors';

/** Attached photos Facebook shows in one post; more is refused before anything is sent. */
export const MAX_ATTACHED_PHOTOS = 10;

export interface FacebookFlow {
  graph: GraphClient;
  pageId: string;
  clock: Clock;
  logger: Logger;
  tokenVariable: string;
  readCard: ReadCard;
  signal?: AbortSignal;
}

async function step<T>(flow: FacebookFlow, phase: FacebookPhase, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw classifyFacebookError(error, phase, { now: flow.clock.now(), tokenVariable: flow.tokenVariable });
  }
}

/**
 * Uploads each card unpublished and returns the photo ids, in order. Nothing
 * here is public: a failure is at worst a hidden photo, and trying again is safe.
 */
export async function uploadCards(flow: FacebookFlow, request: PublishRequest): Promise<string[]> {
  const media = request.post.media;
  if (media.length > MAX_ATTACHED_PHOTOS) {
    throw new PublishError('permanent', `facebook: a post holds at most ${MAX_ATTACHED_PHOTOS} photos, this one has ${media.length}: split the digest`);
  }
  const ids: string[] = [];
  for (const [index, item] of media.entries()) {
    // A card found nowhere throws CardMissingError: the post goes back to be rendered.
    const card = await flow.readCard(request.mediaRoot, item);
    const answer = await step(flow, 'upload', () =>
      flow.graph.upload<{ id?: unknown }>(
        `${flow.pageId}/photos`,
        { published: false, alt_text_custom: item.alt },
        { field: 'source', bytes: card.bytes, mime: item.mime, filename: `card-${index + 1}.${item.mime === 'image/png' ? 'png' : 'jpg'}` },
        flow.signal,
      ),
    );
    if (typeof answer.id !== 'string' || answer.id === '') throw new PublishError('transient', 'facebook: the photo upload answered without an id; will retry');
    ids.push(answer.id);
  }
  return ids;
}

/** `POST /{page-id}/feed`: the post goes public. Anything lost here is `unclear`. */
export async function createPagePost(flow: FacebookFlow, message: string, photoIds: readonly string[]): Promise<string> {
  const params: Record<string, string> = { message };
  // Graph reads form keys `attached_media[0]`… as an array of JSON objects.
  photoIds.forEach((id, index) => (params[`attached_media[${index}]`] = JSON.stringify({ media_fbid: id })));
  const answer = await step(flow, 'create', () => flow.graph.post<{ id?: unknown }>(`${flow.pageId}/feed`, params, flow.signal));
  if (typeof answer.id !== 'string' || answer.id === '') {
    throw new PublishError('unclear', 'facebook: the post creation answered without a post id; the post may be live, reconcile by reading the Page back');
  }
  return answer.id;
}

/** Best effort: the post id is known; a failed lookup only loses the URL. */
export async function lookupPermalink(flow: FacebookFlow, postId: string): Promise<string | null> {
  try {
    const answer = await flow.graph.get<{ permalink_url?: unknown }>(postId, { fields: 'permalink_url' }, flow.signal);
    return typeof answer.permalink_url === 'string' ? answer.permalink_url : null;
  } catch (error) {
    flow.logger.warn({ postId, reason: (error as Error).message }, 'facebook permalink lookup failed; the post is live');
    return null;
  }
}
