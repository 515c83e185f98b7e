/**
 * An office's posts in some states (failed, expired, unclear, …), newest due
 * first, for the console's post list: the dashboard links its "needs staff"
 * counts here, and each row links to the post's page. Reads only.
 */
import type { OfficeConfig } from '../config/types';
import { localizeInstants } from '../render/helpers/staff-time';
import { countByState, listPosts } from '../store/ledger';
import type { Store } from '../store/open';
import type { PostState } from '../store/types';
import { channelOf } from './approval-queue';
import { stateLabel, staffTime, type ChannelRef, type ConsoleLang, type StaffTime } from './view-parts';

/** The states staff can list, in the order the filter shows them (superseded revisions are history, not posts). */
export const LISTED_STATES: readonly PostState[] = ['dead', 'unknown', 'expired', 'retrying', 'claimed', 'planned', 'ready', 'published', 'skipped', 'cancelled'];
/** What needs staff: the list's default. */
export const DEFAULT_LISTED: readonly PostState[] = ['dead', 'unknown', 'expired'];

export interface PostRowView extends ChannelRef {
  id: string;
  ruleId: string;
  subject: string;
  state: PostState;
  stateLabel: string;
  dueAt: StaffTime;
  attempts: number;
  lastError: string | null;
}

export interface PostListView {
  states: PostState[];
  rows: PostRowView[];
  /** More posts match than are shown. */
  more: boolean;
  /** Every listed state with its number of posts in the office. */
  counts: { state: PostState; label: string; count: number; selected: boolean }[];
}

/** `states` given as `dead`, `dead,expired` or repeated; unknown names are dropped, none left: the default. */
export function parseStates(value: unknown): PostState[] {
  const parts = (Array.isArray(value) ? value : [value]).flatMap((each) => (typeof each === 'string' ? each.split(/[,|\s]+/) : []));
  const states = LISTED_STATES.filter((state) => parts.includes(state));
  return states.length > 0 ? states : [...DEFAULT_LISTED];
}

export async function buildPostList(store: Store, input: { officeId: string; zone: string; office?: OfficeConfig; states: readonly PostState[]; now: Date; lang: ConsoleLang; limit?: number }): Promise<PostListView> {
  const limit = input.limit ?? 100;
  const [posts, counts] = await Promise.all([
    listPosts(store, { officeId: input.officeId, states: [...input.states], order: 'desc', limit: limit + 1 }),
    countByState(store, { officeId: input.officeId }),
  ]);
  return {
    states: [...input.states],
    rows: posts.slice(0, limit).map((post) => ({
      ...channelOf(input, post.channelId),
      id: post.id,
      ruleId: post.ruleId,
      subject: post.subject,
      state: post.state,
      stateLabel: stateLabel(post.state, input.lang),
      dueAt: staffTime(post.dueAt, input.zone, input.now),
      attempts: post.attempts,
      lastError: post.lastError === null ? null : localizeInstants(post.lastError, input.zone, input.now),
    })),
    more: posts.length > limit,
    counts: LISTED_STATES.map((state) => ({ state, label: stateLabel(state, input.lang), count: counts[state], selected: input.states.includes(state) })),
  };
}
