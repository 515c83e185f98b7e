/**
 * Two things that run out: each channel's daily cap (posts per rolling 24 h)
 * and money on X (paid per post). Computed from the ledger: what went out
 * and what is still to go.
 */
import { findUrls } from '../channels/text-length';
import { limitsFor } from '../channels/platform-limits';
import type { OfficeConfig } from '../config/types';
import { estimateCost, pricingOf } from '../plan/cost-estimate';
import { busiestDayPerChannel } from '../plan/daily-caps';
import { renderCaption } from '../render/caption';
import type { RenderedPost, TemplateSet } from '../render/types';
import { plannedFromLedger } from '../schedule/ledger-post';
import type { LedgerPost } from '../store/types';
import { makeDate } from '../time/plain-date';
import { fromLocal, toLocal } from '../time/zone';
import { channelRef, monthLabel, staffTime, type ChannelRef, type ConsoleLang, type StaffTime } from './view-parts';

export interface DailyCapView extends ChannelRef {
  cap: number;
  /** Posts in the busiest rolling 24 hours: published in the last day and still to go in the days looked at. */
  busiest: number;
  /** Start of those 24 hours. */
  from: StaffTime | null;
  /** `over`: more than the cap; `near`: within CAP_MARGIN of it. */
  level: 'ok' | 'near' | 'over';
}

/** "Near" the cap: at most this share of it left (and at least 2 posts). */
const CAP_MARGIN_SHARE = 0.1;

export function capMargin(cap: number): number {
  return Math.max(2, Math.ceil(cap * CAP_MARGIN_SHARE));
}

/**
 * Each capped channel's busiest 24 hours, counting a published post at its
 * publication time and a pending one at its due time (the same rolling
 * window `check` compares with the cap).
 */
export function dailyCapUsage(office: OfficeConfig, published: readonly LedgerPost[], pending: readonly LedgerPost[], zone: string, now: Date): DailyCapView[] {
  const moments = [
    ...published.map((post) => ({ channelId: post.channelId, dueAt: post.publishedAt ?? post.dueAt })),
    ...pending.map((post) => ({ channelId: post.channelId, dueAt: post.dueAt })),
  ];
  const busiest = new Map(busiestDayPerChannel(moments).map((window) => [window.channelId, window]));
  const views: DailyCapView[] = [];
  for (const channel of office.channels) {
    const cap = limitsFor(channel).dailyCap;
    if (cap === undefined) continue;
    const window = busiest.get(channel.id);
    const count = window?.count ?? 0;
    const level = count > cap ? 'over' : count >= cap - capMargin(cap) && count > 0 ? 'near' : 'ok';
    views.push({ ...channelRef(office, channel.id), cap, busiest: count, from: window ? staffTime(window.from, zone, now) : null, level });
  }
  return views;
}

export interface CostCount {
  posts: number;
  postsWithUrl: number;
  usd: number;
}

export interface XCostChannelView extends ChannelRef {
  /** Published this month. */
  spent: CostCount;
  /** Still to go this month (estimate). */
  planned: CostCount;
  /** Planned posts whose caption could not be looked at (not rendered, no templates): counted as without a link. */
  unchecked: number;
  totalUsd: number;
}

export interface XCostView {
  /** `YYYY-MM` in the office zone. */
  month: string;
  monthLabel: string;
  channels: XCostChannelView[];
  totalUsd: number;
  /** Posts this month (published or planned) whose X text contains a link. */
  postsWithUrl: number;
  perPost: number;
  perPostWithUrl: number;
}

/** The office zone's calendar month of `now`: [start, end) as instants. */
export function monthOf(now: Date, zone: string): { month: string; start: Date; end: Date } {
  const today = toLocal(now, zone).date;
  const first = makeDate(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 1);
  const next = makeDate(Number(today.slice(0, 4)), Number(today.slice(5, 7)) + 1, 1);
  return { month: first.slice(0, 7), start: fromLocal(first, '00:00', zone), end: fromLocal(next, '00:00', zone) };
}

/**
 * Captions rendered to look for links, per loaded template set and post
 * revision (whose facts never change): the dashboard counts the month's
 * planned X posts at every view, and rendering each caption again made most
 * of its time. A new revision of the office's config is a new template set.
 */
const renderedHasUrl = new WeakMap<TemplateSet, Map<string, boolean | null>>();

/** Whether a post's text contains a link X charges for; null when its text is not known. */
function hasUrl(post: LedgerPost, templates: TemplateSet | undefined): boolean | null {
  if (post.renderedJson !== null) {
    try {
      return findUrls((JSON.parse(post.renderedJson) as RenderedPost).text ?? '').length > 0;
    } catch {
      return null;
    }
  }
  if (!templates) return null;
  const known = renderedHasUrl.get(templates) ?? new Map<string, boolean | null>();
  renderedHasUrl.set(templates, known);
  const key = `${post.id}#${post.revision}`;
  if (!known.has(key)) known.set(key, captionHasUrl(post, templates));
  return known.get(key)!;
}

function captionHasUrl(post: LedgerPost, templates: TemplateSet): boolean | null {
  try {
    return findUrls(renderCaption(templates, plannedFromLedger(post))).length > 0;
  } catch {
    return null;
  }
}

/**
 * What the office's X channels cost this month: published posts at X's price
 * (`pricing` of the channel, else X's published prices) and the posts still
 * planned this month, their text rendered from `templates` when not rendered yet.
 * Null when the office has no X channel.
 */
export function xCostThisMonth(
  office: OfficeConfig,
  posts: { published: readonly LedgerPost[]; pending: readonly LedgerPost[] },
  options: { zone: string; now: Date; lang: ConsoleLang; templates?: TemplateSet },
): XCostView | null {
  const pricing = pricingOf(office.channels);
  if (pricing.size === 0) return null;
  const { month, start, end } = monthOf(options.now, options.zone);
  const inMonth = (instant: Date): boolean => instant >= start && instant < end;
  const spentPosts = posts.published.filter((post) => pricing.has(post.channelId) && inMonth(post.publishedAt ?? post.dueAt));
  const plannedPosts = posts.pending.filter((post) => pricing.has(post.channelId) && inMonth(post.dueAt));
  const look = (list: readonly LedgerPost[]) => list.map((post) => ({ channelId: post.channelId, url: hasUrl(post, options.templates) }));
  const spent = look(spentPosts);
  const planned = look(plannedPosts);
  const channels: XCostChannelView[] = [...pricing.keys()].map((channelId) => {
    const count = (list: typeof spent): CostCount => {
      const line = estimateCost(list.filter((each) => each.channelId === channelId).map((each) => ({ channelId, hasUrl: each.url === true })), pricing)[0];
      return { posts: line?.posts ?? 0, postsWithUrl: line?.postsWithUrl ?? 0, usd: round(line?.usd ?? 0) };
    };
    const spentCount = count(spent);
    const plannedCount = count(planned);
    return {
      ...channelRef(office, channelId),
      spent: spentCount,
      planned: plannedCount,
      unchecked: planned.filter((each) => each.channelId === channelId && each.url === null).length,
      totalUsd: round(spentCount.usd + plannedCount.usd),
    };
  });
  const price = pricing.values().next().value!;
  return {
    month,
    monthLabel: monthLabel(month, options.lang),
    channels,
    totalUsd: round(channels.reduce((sum, channel) => sum + channel.totalUsd, 0)),
    postsWithUrl: channels.reduce((sum, channel) => sum + channel.spent.postsWithUrl + channel.planned.postsWithUrl, 0),
    perPost: price.perPost,
    perPostWithUrl: price.perPostWithUrl,
  };
}

/** Cents, without float dust (0.015 × 3 = 0.045000000000000005). */
function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
