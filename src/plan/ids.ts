/**
 * Post ids: a hash of what the post is, never random, so planning twice (or on
 * another machine, in another host zone) names the same post the same way and
 * the ledger can tell "already planned" from "new".
 */
import { createHash } from 'node:crypto';

/** Hex characters kept: 80 bits, ample for a ledger of millions of posts. */
const ID_LENGTH = 20;

/**
 * The stable id of the post of `ruleId` about `subject` on `channelId` of `officeId`.
 * The parts are JSON-encoded so no choice of separator can make two different
 * tuples collide (`a|b`+`c` vs `a`+`b|c`).
 */
export function postId(officeId: string, ruleId: string, subject: string, channelId: string): string {
  return createHash('sha256')
    .update(JSON.stringify([officeId, ruleId, subject, channelId]))
    .digest('hex')
    .slice(0, ID_LENGTH);
}
