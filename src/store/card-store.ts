/**
 * Card bytes in the ledger database (migrations/0005-card-media.ts): stored
 * with the rendering, read by whichever instance publishes or serves the card,
 * and a post whose card is lost everywhere sent back to be rendered again.
 */
import type { Kysely } from 'kysely';
import { LeaseLostError, type ClaimKey } from './claims';
import type { Store } from './open';
import type { Database } from './schema';
import { inWriteTransaction } from './transaction';

/** One card as the database keeps it. */
export interface StoredCard {
  /** The path the rendering records, relative to the data directory (`media/<post>/r1/card.jpg`). */
  file: string;
  mime: string;
  width: number;
  height: number;
  bytes: Buffer;
  /** hex SHA-256 of `bytes`. */
  sha256: string;
}

/**
 * Replaces the cards of one post revision (a re-render after a template
 * change writes the same paths with new bytes). Runs inside the caller's
 * transaction: the cards land together with the state that makes the post claimable.
 */
export async function replaceCards(trx: Kysely<Database>, key: { id: string; revision: number }, cards: readonly StoredCard[], now: Date): Promise<void> {
  await trx.deleteFrom('media').where('post_id', '=', key.id).where('revision', '=', key.revision).execute();
  if (cards.length === 0) return;
  await trx
    .insertInto('media')
    .values(
      cards.map((card) => ({
        file: card.file,
        post_id: key.id,
        revision: key.revision,
        name: card.file.split('/').pop() ?? card.file,
        mime: card.mime,
        width: card.width,
        height: card.height,
        bytes: card.bytes,
        sha256: card.sha256,
        created_at: now.getTime(),
      })),
    )
    .execute();
}

/** The card stored for `file`, or null (rendered before migration 0005, or never). */
export async function findCard(store: Store, file: string): Promise<StoredCard | null> {
  const row = await store.db.selectFrom('media').select(['file', 'mime', 'width', 'height', 'bytes', 'sha256']).where('file', '=', file).executeTakeFirst();
  if (!row) return null;
  return { file: row.file, mime: row.mime, width: Number(row.width), height: Number(row.height), bytes: Buffer.from(row.bytes), sha256: row.sha256 };
}

/**
 * The holder found a card of its claimed post nowhere (not on its disk, not
 * in the database, or stored bytes that do not match the rendering): the post
 * goes back to `planned`, and render-ahead draws it again — a lost card is
 * never a permanent failure. Nothing was sent, so this is no attempt in doubt.
 * @throws LeaseLostError when the caller no longer holds the post.
 */
export async function returnForRender(store: Store, claim: ClaimKey, reason: string, now: Date): Promise<void> {
  const at = now.getTime();
  await inWriteTransaction(store, async (trx) => {
    const row = await trx
      .updateTable('posts')
      .set({ state: 'planned', rendered_json: null, content_hash: null, lease_until: null, next_attempt_at: null, last_error: reason, updated_at: at })
      .where('id', '=', claim.id)
      .where('revision', '=', claim.revision)
      .where('lease_owner', '=', claim.owner)
      .where('state', '=', 'claimed')
      .returning(['attempts'])
      .executeTakeFirst();
    if (!row) {
      const current = await trx.selectFrom('posts').select('state').where('id', '=', claim.id).where('revision', '=', claim.revision).executeTakeFirst();
      throw new LeaseLostError(claim, current?.state ?? null);
    }
    await trx.deleteFrom('media').where('post_id', '=', claim.id).where('revision', '=', claim.revision).execute();
    await trx
      .updateTable('attempts')
      .set({ finished_at: at, outcome: 'card-missing', error: reason })
      .where('post_id', '=', claim.id)
      .where('revision', '=', claim.revision)
      .where('attempt', '=', row.attempts)
      .execute();
  });
}
