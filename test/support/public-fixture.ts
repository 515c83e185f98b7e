/**
 * Published posts for the public side's tests (archive, verification, feeds),
 * put in the ledger the way the bot does it: planned (syncPlan), rendered with
 * their cards (markRendered), claimed at the due time and published (markPublished).
 */
import sharp from 'sharp';
import type { PlannedPost } from '../../src/plan/types';
import { sha256Hex } from '../../src/render/card-hash';
import type { RenderedPost } from '../../src/render/types';
import { claimDue, markPublished, markRendered } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { syncPlan } from '../../src/store/sync-plan';

export interface PublishOptions {
  /** The text each channel got (default: `Pengumuman <subject> di <channel>`). */
  text?: (post: PlannedPost) => string;
  /** Card images per post (default 1). */
  cards?: number;
  /** Card format: Instagram's are JPEG; default JPEG for channels named like `instagram`, else PNG. */
  mime?: (post: PlannedPost) => 'image/jpeg' | 'image/png';
  /** The live post (default: an X or Instagram address by channel name; `outbox:` ids for channels named `outbox`). */
  remote?: (post: PlannedPost) => { remoteId: string; url: string | null };
  /** Publication time (default: the post's due time). */
  publishedAt?: (post: PlannedPost) => Date;
}

/** A small real image of the card's shape (1080×1350 scaled down), so pages and resizers get real bytes. */
export async function cardImage(mime: 'image/jpeg' | 'image/png', shade = 40): Promise<{ data: Buffer; width: number; height: number }> {
  const image = sharp({ create: { width: 216, height: 270, channels: 3, background: { r: shade, g: 90, b: 160 } } });
  const data = await (mime === 'image/jpeg' ? image.jpeg() : image.png()).toBuffer();
  return { data, width: 216, height: 270 };
}

/** Plans, renders and publishes `posts`; each goes out at its due time (or `publishedAt`). */
export async function publishPosts(store: Store, posts: readonly PlannedPost[], options: PublishOptions = {}): Promise<void> {
  if (posts.length === 0) return;
  const dues = posts.map((post) => post.dueAt.getTime());
  const before = new Date(Math.min(...dues) - 60_000);
  await syncPlan(store, [...posts], { from: before, to: new Date(Math.max(...dues) + 60_000) }, before);
  for (const post of posts) {
    const mime = options.mime?.(post) ?? (post.channelId.includes('instagram') ? 'image/jpeg' : 'image/png');
    const media: RenderedPost['media'] = [];
    const cards = [];
    for (let page = 1; page <= (options.cards ?? 1); page++) {
      const image = await cardImage(mime, 30 * page);
      const file = `media/${post.id}/r1/card${page === 1 ? '' : `-${page}`}.${mime === 'image/jpeg' ? 'jpg' : 'png'}`;
      const sha256 = sha256Hex(image.data);
      media.push({ file, mime, width: image.width, height: image.height, bytes: image.data.length, alt: `Kartu ${page}: kuota ${post.subject}`, sha256 });
      cards.push({ file, mime, width: image.width, height: image.height, bytes: image.data, sha256 });
    }
    const rendered: RenderedPost = { text: options.text?.(post) ?? `Pengumuman ${post.subject} di ${post.channelId}`, media };
    const row = await store.db.selectFrom('posts').select('revision').where('id', '=', post.id).where('state', '=', 'planned').executeTakeFirstOrThrow();
    await markRendered(store, { id: post.id, revision: Number(row.revision) }, JSON.stringify(rendered), before, cards);
  }
  // Claimed in due order, as the scheduler does: one claim takes every post due by then.
  const claimed = new Map<string, number>();
  for (const post of [...posts].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())) {
    if (!claimed.has(post.id)) {
      for (const held of await claimDue(store, { now: post.dueAt, owner: 'public-fixture', leaseMs: 86_400_000, limit: 10_000 })) claimed.set(held.id, held.revision);
    }
    const revision = claimed.get(post.id);
    if (revision === undefined) throw new Error(`publishPosts: ${post.id} was not claimable at its due time`);
    await markPublished(store, { id: post.id, revision, owner: 'public-fixture' }, { ...(options.remote?.(post) ?? defaultRemote(post)), publishedAt: options.publishedAt?.(post) ?? post.dueAt });
  }
}

function defaultRemote(post: PlannedPost): { remoteId: string; url: string | null } {
  if (post.channelId.includes('outbox')) return { remoteId: `outbox:${post.id}:1`, url: null };
  if (post.channelId.includes('instagram')) return { remoteId: `ig-${post.id}`, url: `https://www.instagram.com/p/${post.id}/` };
  return { remoteId: `x-${post.id}`, url: `https://x.com/kanim/status/${post.id}` };
}
