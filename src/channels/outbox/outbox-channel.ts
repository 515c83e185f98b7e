/**
 * The outbox: a dry-run channel that appends what would have been published to
 * `<outboxDir>/outbox.jsonl` (the record in ../shared/CONTRACT.md) instead of
 * calling a platform. It applies the limits of the platform it stands in for.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChannelConfig } from '../../config/types';
import type { Channel, ChannelDeps, PublishRequest, PublishResult, RemotePost } from '../channel';
import { limitsFor } from '../platform-limits';
import { readCardFromDisk, type ReadCard } from '../card-bytes';
import { checkRenderedPost } from '../check-post';
import type { RenderedMedia } from '../../render/types';
import { PublishError } from '../publish-error';

/** One line of outbox.jsonl. Field names are part of the external contract: extend, never rename. */
export interface OutboxRecord {
  postId: string;
  office: string;
  channel: string;
  kind: string;
  rule: string;
  releaseId: string | null;
  scheduledAt: string;
  deadline: string | null;
  publishedAt: string;
  text: string;
  media: { file: string; mime: string; width: number; height: number; alt: string }[];
}

export const OUTBOX_FILE = 'outbox.jsonl';

export function createOutboxChannel(config: ChannelConfig, deps: ChannelDeps): Channel {
  const limits = limitsFor(config);
  const outboxPath = path.join(deps.outboxDir, OUTBOX_FILE);
  const readCard = deps.readCard ?? readCardFromDisk;

  return {
    id: config.id,
    driver: 'outbox',
    limits,
    check: (post) => checkRenderedPost(post, limits, config.platform),

    async publish(request: PublishRequest): Promise<PublishResult> {
      const publishedAt = deps.clock.now();
      const media: OutboxRecord['media'] = [];
      for (const item of request.post.media) {
        await copyIntoOutbox(item, request.mediaRoot, deps.outboxDir, readCard);
        media.push({ file: item.file, mime: item.mime, width: item.width, height: item.height, alt: item.alt });
      }
      const record: OutboxRecord = {
        postId: request.postId,
        office: request.officeId,
        channel: config.id,
        kind: request.kind,
        rule: request.ruleId,
        releaseId: request.releaseId,
        scheduledAt: request.scheduledAt.toISOString(),
        deadline: request.deadline ? request.deadline.toISOString() : null,
        publishedAt: publishedAt.toISOString(),
        text: request.post.text,
        media,
      };
      await request.checkpoint?.('sending');
      try {
        appendDurably(outboxPath, `${JSON.stringify(record)}\n`);
      } catch (error) {
        // Nothing was written if open or write failed before any byte landed; a
        // full disk mid-line is the rare unclear case, but the outbox is a dry run.
        throw new PublishError('transient', `cannot write ${outboxPath}: ${(error as Error).message}`, { cause: error });
      }
      return { remoteId: `outbox:${request.postId}:${publishedAt.getTime()}`, url: null, publishedAt };
    },

    async readBack(since: Date): Promise<RemotePost[]> {
      return readOutbox(outboxPath)
        .filter((record) => record.channel === config.id && new Date(record.publishedAt) >= since)
        .map((record) => ({
          remoteId: `outbox:${record.postId}:${new Date(record.publishedAt).getTime()}`,
          text: record.text,
          publishedAt: new Date(record.publishedAt),
          url: null,
        }))
        .reverse();
    },
  };
}

/** Every record of an outbox file, oldest first; a missing file is an empty outbox. */
export function readOutbox(file: string): OutboxRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OutboxRecord);
}

function appendDurably(file: string, line: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, line);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Media paths in the record are relative to the outbox directory: the card
 * must be there, also when another instance rendered it (then it comes from
 * the database) or when it was rendered elsewhere (simulate).
 */
async function copyIntoOutbox(item: RenderedMedia, mediaRoot: string, outboxDir: string, readCard: ReadCard): Promise<void> {
  const card = await readCard(mediaRoot, item);
  const target = path.resolve(outboxDir, item.file);
  if (card.from === 'file' && target === path.resolve(mediaRoot, item.file)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, card.bytes);
  fs.renameSync(tmp, target);
}
