/**
 * An office's preview as the page shows it: posts grouped by what they
 * announce (the Instagram and the X post of one announcement side by side),
 * each with what its network shows — the caption as far as Instagram shows it
 * before "… lainnya", the count as the platform counts it, the cards in order
 * with their alt text and image URLs — and its problems in plain words.
 */
import type { CaptionView, CardView, OfficePreview, PostPreview } from '../../../console/preview';
import { dateLabel, staffTime, type StaffTime } from '../../../console/view-parts';
import { countCodePoints } from '../../../channels/text-length';
import type { Lang, Translate } from '../../i18n';
import { limitProblemWords, problemView, configProblemWords, type ProblemView } from './problem-words';
import { rangeQuery, type PreviewRange } from './preview-range';

/** Instagram's feed shows about this much of a caption (or its first two lines) before "… more". */
export const INSTAGRAM_TEASER_CHARS = 125;

/** Brand names are not translated; `generic` is ("Kanal lain"). */
const PLATFORM_DISPLAY_NAMES: Readonly<Record<string, string>> = {
  instagram: 'Instagram',
  x: 'X',
  facebook: 'Facebook',
  threads: 'Threads',
  telegram: 'Telegram',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  webhook: 'Webhook',
};

const PLATFORM_ORDER: readonly PostPreview['platform'][] = ['instagram', 'x', 'facebook', 'threads', 'telegram', 'mastodon', 'bluesky', 'webhook', 'generic'];

export interface CardItem {
  position: number;
  count: number;
  /** More than one card: the slide shows its place and the arrows. */
  multiple: boolean;
  url: string;
  /** The slide's element id: the carousel's anchors scroll to it. */
  slideId: string;
  prevId: string | null;
  nextId: string | null;
  width: number;
  height: number;
  alt: string;
  altLength: number;
  altLimit: number | null;
  altOver: boolean;
}

export interface PostItem {
  id: string;
  platform: PostPreview['platform'];
  instagram: boolean;
  x: boolean;
  /** The network's name; null for the outbox standing in for none. */
  platformName: string | null;
  /** The message that says the caption's count in the platform's unit. */
  countKey: string | null;
  channelLabel: string;
  ruleId: string;
  due: StaffTime;
  caption: (CaptionView & { head: string; rest: string }) | null;
  cards: CardItem[];
  carousel: boolean;
  problems: ProblemView[];
  hasErrors: boolean;
  /** The caption template editor of this rule on this channel (editors only). */
  templateUrl: string | null;
}

export interface PostGroup {
  ruleId: string;
  subjectLabel: string;
  due: StaffTime;
  posts: PostItem[];
}

export interface PreviewPageData {
  officeName: string;
  account: string;
  initial: string;
  fromDate: string;
  toDate: string;
  groups: PostGroup[];
  postCount: number;
  errorCount: number;
  loadProblems: ProblemView[];
  skipped: ProblemView[];
}

export function previewPageData(
  preview: OfficePreview,
  env: { officeId: string; range: PreviewRange; now: Date; lang: Lang; t: Translate; canEditTemplates: boolean },
): PreviewPageData {
  const groups = new Map<string, PostGroup>();
  for (const post of preview.posts) {
    const key = `${post.ruleId}\n${post.subject}`;
    let group = groups.get(key);
    if (!group) {
      group = { ruleId: post.ruleId, subjectLabel: subjectLabel(post.subject, env), due: staffTime(post.dueAt, preview.zone, env.now), posts: [] };
      groups.set(key, group);
    }
    group.posts.push(postItem(post, preview, env));
  }
  // Instagram, then X, then the rest: the same network in the same column on every announcement.
  for (const group of groups.values()) group.posts.sort((a, b) => PLATFORM_ORDER.indexOf(a.platform) - PLATFORM_ORDER.indexOf(b.platform) || a.channelLabel.localeCompare(b.channelLabel));
  const posts = [...groups.values()].flatMap((group) => group.posts);
  return {
    officeName: preview.officeName,
    account: preview.officeName,
    initial: preview.officeName.trim().charAt(0).toUpperCase() || '?',
    fromDate: env.range.fromDate,
    toDate: env.range.toDate,
    groups: [...groups.values()],
    postCount: posts.length,
    errorCount: posts.filter((post) => post.hasErrors).length,
    loadProblems: preview.loadProblems.map((problem) => problemView(problem, env.lang, configProblemWords)),
    skipped: preview.skipped.map((problem) => problemView(problem, env.lang, limitProblemWords)),
  };
}

function postItem(post: PostPreview, preview: OfficePreview, env: { officeId: string; range: PreviewRange; now: Date; lang: Lang; canEditTemplates: boolean }): PostItem {
  const channelLabel = post.channelId.startsWith(`${env.officeId}/`) ? post.channelId.slice(env.officeId.length + 1) : post.channelId;
  const office = encodeURIComponent(env.officeId);
  const problems = post.problems.map((problem) => problemView(problem, env.lang, limitProblemWords));
  return {
    id: post.id,
    platform: post.platform,
    instagram: post.platform === 'instagram',
    x: post.platform === 'x',
    platformName: PLATFORM_DISPLAY_NAMES[post.platform] ?? null,
    countKey: post.caption ? `preview.count.${post.caption.unit}` : null,
    channelLabel,
    ruleId: post.ruleId,
    due: staffTime(post.dueAt, preview.zone, env.now),
    caption: post.caption ? { ...post.caption, ...captionTeaser(post.caption.text) } : null,
    cards: post.cards.map((card) => cardItem(card, post, office, env.range)),
    carousel: post.carousel,
    problems,
    hasErrors: problems.some((problem) => problem.error),
    templateUrl: env.canEditTemplates ? `/admin/o/${office}/templates/${encodeURIComponent(post.ruleId)}/${encodeURIComponent(channelLabel)}` : null,
  };
}

function cardItem(card: CardView, post: PostPreview, office: string, range: PreviewRange): CardItem {
  const slide = (position: number): string => `slide-${post.id}-${position}`;
  const count = post.cards.length;
  return {
    position: card.position,
    count,
    multiple: count > 1,
    url: `/admin/o/${office}/preview/card/${encodeURIComponent(post.id)}/${card.position}?${rangeQuery(range)}`,
    slideId: slide(card.position),
    prevId: card.position > 1 ? slide(card.position - 1) : null,
    nextId: card.position < count ? slide(card.position + 1) : null,
    width: card.width,
    height: card.height,
    alt: card.alt,
    altLength: card.altLength,
    altLimit: card.altLimit ?? null,
    altOver: card.altLimit !== undefined && card.altLength > card.altLimit,
  };
}

/**
 * What Instagram's feed shows before "… more": the first two lines, at most
 * ~125 characters, cut at a space. `rest` is what the reader sees after tapping.
 */
export function captionTeaser(text: string): { head: string; rest: string } {
  const lines = text.split('\n');
  let head = lines.slice(0, 2).join('\n');
  if (countCodePoints(head) > INSTAGRAM_TEASER_CHARS) {
    const cut = [...head].slice(0, INSTAGRAM_TEASER_CHARS).join('');
    const space = cut.lastIndexOf(' ');
    head = space > INSTAGRAM_TEASER_CHARS / 2 ? cut.slice(0, space) : cut;
  }
  return head.length >= text.trimEnd().length ? { head: text, rest: '' } : { head, rest: text.slice(head.length).replace(/^[ \n]+/, '') };
}

function subjectLabel(subject: string, env: { lang: Lang; t: Translate }): string {
  const digest = /^digest:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(subject);
  if (digest) return env.t('preview.subject.digest', { from: dateLabel(digest[1]!, env.lang), to: dateLabel(digest[2]!, env.lang) });
  return env.t('preview.subject.release', { id: subject });
}
