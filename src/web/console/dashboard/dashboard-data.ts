/**
 * The dashboard's view model (console/dashboard.ts `DashboardView`) as the
 * page's templates show it: countdowns in words, each task with a link to the
 * page where staff act on it, labels in the request's language. Pure.
 */
import type { DashboardView, NextPostView } from '../../../console/dashboard';
import type { StaffTask, StaffTaskKind } from '../../../console/staff-tasks';
import type { ChannelPostView } from '../../../console/view-parts';
import type { Lang, Translate } from '../../i18n';
import { officePaths, type OfficePaths } from '../../office-nav';
import { countdownText } from './countdown';

export interface TaskLink {
  href: string;
  label: string;
}

/**
 * Where staff act on a task, or null where the console cannot help (a token
 * is renewed on the server; the action text says how).
 */
export function taskLink(task: StaffTask, paths: OfficePaths, t: Translate): TaskLink | null {
  const kind: StaffTaskKind = task.kind;
  switch (kind) {
    case 'post-dead':
    case 'post-expired':
    case 'post-unknown':
      return task.postId ? { href: paths.post(task.postId), label: t('dashboard.link.post') } : null;
    case 'config-rejected':
    case 'config-warning':
    case 'daily-cap-over':
    case 'daily-cap-near':
      return { href: paths.calendar, label: t('dashboard.link.calendar') };
    case 'x-link-cost':
      return { href: paths.preview, label: t('dashboard.link.preview') };
    case 'token-expired':
    case 'token-expiring':
    case 'account-problem':
      return null;
  }
}

/** `rule · subject`, a digest's dates as a range. */
function postLabel(post: { ruleId: string; kind: string; subject: string }, t: Translate): string {
  const digest = /^digest:(.+)\.\.(.+)$/.exec(post.subject);
  const subject = digest ? t('dashboard.digestRange', { from: digest[1]!, to: digest[2]! }) : post.subject;
  return `${post.ruleId} · ${subject}`;
}

function channelLabel(channel: Pick<ChannelPostView, 'label' | 'platform' | 'dryRun'>, t: Translate): string {
  const platform = t(`dashboard.platform.${channel.platform}`);
  const notes = [...(channel.label === channel.platform ? [] : [platform]), ...(channel.dryRun ? [t('dashboard.dryRun')] : [])];
  const name = channel.label === channel.platform ? platform : channel.label;
  return notes.length > 0 ? `${name} (${notes.join(', ')})` : name;
}

/** Cents, and a tenth of a cent where X's prices have one (US$0.015). */
function usd(amount: number): string {
  const fine = amount.toFixed(3);
  return `US$${fine.endsWith('0') ? amount.toFixed(2) : fine}`;
}

export function nextPostsData(next: readonly NextPostView[], paths: OfficePaths, lang: Lang, t: Translate): unknown[] {
  return next.map((group) => ({
    dueAt: group.dueAt,
    countdown: countdownText(group.countdownMs, lang),
    label: postLabel(group, t),
    channels: group.channels.map((channel) => ({
      name: channelLabel(channel, t),
      state: channel.state,
      stateLabel: channel.stateLabel,
      href: channel.postId ? paths.post(channel.postId) : null,
    })),
  }));
}

export interface ExtraTask {
  severity: 'error' | 'warning';
  title: string;
  action: string;
  details: string[];
  link: TaskLink | null;
}

/** `extra`: tasks the dashboard model does not gather (approvals), placed first among their severity. */
export function dashboardData(view: DashboardView, lang: Lang, t: Translate, extra: readonly ExtraTask[] = []): Record<string, unknown> {
  const paths = officePaths(view.officeId);
  const tasks = [
    ...extra,
    ...view.needsStaff.map((task) => ({ severity: task.severity, title: task.title, action: task.action, details: task.details, link: taskLink(task, paths, t) })),
  ].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const channels = [...view.next.flatMap((group) => group.channels), ...view.recent, ...view.dailyCaps, ...(view.xCost?.channels ?? [])];
  return {
    now: view.now,
    dryRunNote: channels.some((channel) => channel.dryRun) ? t('dashboard.dryRunNote') : null,
    zone: view.zone,
    tasks: tasks.map((task) => ({ ...task, severityLabel: t(`dashboard.severity.${task.severity}`) })),
    next: nextPostsData(view.next, paths, lang, t),
    recent: view.recent.map((post) => ({
      at: post.publishedAt ?? post.dueAt,
      label: postLabel(post, t),
      channel: channelLabel(post, t),
      link: post.link,
      href: post.postId ? paths.post(post.postId) : null,
    })),
    dailyCaps: view.dailyCaps.map((cap) => ({
      channel: channelLabel(cap, t),
      cap: cap.cap,
      busiest: cap.busiest,
      from: cap.from,
      level: cap.level,
      levelLabel: t(`dashboard.cap.${cap.level}`),
    })),
    xCost: view.xCost
      ? {
          monthLabel: view.xCost.monthLabel,
          total: usd(view.xCost.totalUsd),
          prices: t('dashboard.cost.prices', { perPost: usd(view.xCost.perPost), perUrl: usd(view.xCost.perPostWithUrl) }),
          channels: view.xCost.channels.map((channel) => ({
            channel: channelLabel(channel, t),
            spent: t('dashboard.cost.count', { posts: channel.spent.posts, withUrl: channel.spent.postsWithUrl, usd: usd(channel.spent.usd) }),
            planned: t('dashboard.cost.count', { posts: channel.planned.posts, withUrl: channel.planned.postsWithUrl, usd: usd(channel.planned.usd) }),
            unchecked: channel.unchecked > 0 ? t('dashboard.cost.unchecked', { count: channel.unchecked }) : null,
            total: usd(channel.totalUsd),
          })),
        }
      : null,
  };
}
