/**
 * The JSON a webhook receiver gets for one post revision (docs/channels/webhook.md,
 * "The request"). Built once per attempt from the request alone, so every
 * retry of a revision carries the same body: only the timestamp and the
 * signature headers change.
 */
import { createHash } from 'node:crypto';
import type { PostFacts, PostKind } from '../../plan/types';
import type { ReadCard } from '../card-bytes';
import type { PublishRequest } from '../channel';
import { PublishError } from '../publish-error';

export const POST_EVENT = 'quota-herald.post';
export const PING_EVENT = 'quota-herald.ping';
/**
 * Largest body sent. With the media server, cards are links and a body is a few
 * kB; without it, cards travel inline (base64 `data:` URLs): 4 cards of 1.5 MB
 * (the platform limits) make ~8 MB. PHP's default post_max_size is 8 MB, nginx's
 * client_max_body_size 1 MB: the README says what a receiver must allow.
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface WebhookCard {
  /** The bot's media server address of the card, or a `data:<mime>;base64,…` URL when there is none. */
  url: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  /** hex SHA-256 of the image bytes: a receiver that downloads `url` can check what it got. */
  sha256: string;
}

export interface WebhookPostBody {
  type: typeof POST_EVENT;
  office: { id: string; name: string };
  channel: string;
  post: { id: string; revision: number; kind: PostKind; rule: string; release: string | null; scheduledAt: string; deadline: string | null };
  text: string;
  cards: WebhookCard[];
  facts: PostFacts;
}

/** `qh_<postId>_r<revision>`: the same on every attempt, restart and instance; a new revision is a new event. */
export function webhookIdOf(request: Pick<PublishRequest, 'postId' | 'revision'>): string {
  // The spec joins id, timestamp and body with dots: an id must not contain one.
  return `qh_${request.postId.replace(/\./g, '_')}_r${request.revision}`;
}

/**
 * The body for `request` as compact JSON. Cards are read first (a card found
 * nowhere throws CardMissingError before anything is sent); a body over
 * MAX_BODY_BYTES is refused as permanent: the same post would be too large on every retry.
 */
export async function buildPostBody(request: PublishRequest, channelId: string, readCard: ReadCard, publicMediaUrl: ((file: string) => string) | undefined): Promise<string> {
  const cards: WebhookCard[] = [];
  for (const media of request.post.media) {
    const { bytes } = await readCard(request.mediaRoot, media);
    cards.push({
      url: publicMediaUrl ? publicMediaUrl(media.file) : `data:${media.mime};base64,${bytes.toString('base64')}`,
      mime: media.mime,
      width: media.width,
      height: media.height,
      bytes: bytes.length,
      alt: media.alt,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  const body: WebhookPostBody = {
    type: POST_EVENT,
    office: { id: request.officeId, name: request.facts.office.name },
    channel: channelId,
    post: {
      id: request.postId,
      revision: request.revision,
      kind: request.kind,
      rule: request.ruleId,
      release: request.releaseId,
      scheduledAt: request.scheduledAt.toISOString(),
      deadline: request.deadline ? request.deadline.toISOString() : null,
    },
    text: request.post.text,
    cards,
    facts: request.facts,
  };
  const json = JSON.stringify(body);
  const size = Buffer.byteLength(json, 'utf8');
  if (size > MAX_BODY_BYTES) {
    throw new PublishError(
      'permanent',
      `the webhook body would be ${(size / 1048576).toFixed(1)} MB, over ${MAX_BODY_BYTES / 1048576} MB${publicMediaUrl ? '' : ' (cards are sent inline because settings.mediaServer is not set: set it so cards travel as links)'}; nothing was sent`,
      { code: 'body-too-large' },
    );
  }
  return json;
}
