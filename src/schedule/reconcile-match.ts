/**
 * Pure: which post read back from an account is the one a ledger post of
 * unclear outcome created (../shared/DESIGN.md, protocol step 3). Matched by
 * text and time; a remote post matches at most one ledger post.
 */
import type { RemotePost } from '../channels/channel';

/** A ledger post waiting for reconciliation, reduced to what matching needs. */
export interface ReconcileCandidate {
  /** Identifies the candidate in the result (e.g. `id#revision`). */
  key: string;
  /** The text that was sent. */
  text: string;
  /** The remote post must be published at or after this instant (first attempt minus clock skew). */
  notBefore: Date;
}

/** NFC, trimmed, every run of whitespace one space: platforms trim and re-space captions. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/** X returns tweet text with `&`, `<`, `>` HTML-escaped. `&amp;` last, so `&amp;lt;` stays `&lt;`. */
function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// A link X may have replaced with its shortener: full URLs and bare domains
// (X links `imigrasi.go.id` too). Broad on purpose: each slot still also
// accepts the original text.
const LINK = /https?:\/\/\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/\S*)?/giu;
const SHORT_LINK = 'https?://t\\.co/[A-Za-z0-9]+';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A matcher for the remote form of `sent`: equal after normalising, where
 * each link may come back as a t.co link, and X's trailing t.co links for
 * attached media may follow.
 */
export function textMatcher(sent: string): (remote: string) => boolean {
  const local = normaliseText(sent);
  let pattern = '';
  let last = 0;
  for (const link of local.matchAll(LINK)) {
    pattern += escapeRegExp(local.slice(last, link.index)) + `(?:${escapeRegExp(link[0])}|${SHORT_LINK})`;
    last = link.index + link[0].length;
  }
  pattern += escapeRegExp(local.slice(last));
  const regex = new RegExp(`^${pattern}(?: ${SHORT_LINK})*$`, 'u');
  return (remote) => regex.test(normaliseText(unescapeHtml(remote)));
}

/**
 * Pairs candidates with remote posts. Candidates go earliest `notBefore`
 * first, each taking the earliest remote post that matches its text, is not
 * before its `notBefore`, is not in `held` (remote ids the ledger already
 * records for other posts) and was not taken by an earlier candidate: two
 * posts with identical text never claim the same remote post.
 */
export function matchRemotePosts(
  candidates: readonly ReconcileCandidate[],
  remote: readonly RemotePost[],
  held: ReadonlySet<string>,
): Map<string, RemotePost> {
  const pool = remote.filter((r) => !held.has(r.remoteId)).sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  const taken = new Set<string>();
  const matches = new Map<string, RemotePost>();
  const ordered = [...candidates].sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const candidate of ordered) {
    const isSent = textMatcher(candidate.text);
    const found = pool.find((r) => !taken.has(r.remoteId) && r.publishedAt >= candidate.notBefore && isSent(r.text));
    if (found) {
      taken.add(found.remoteId);
      matches.set(candidate.key, found);
    }
  }
  return matches;
}
