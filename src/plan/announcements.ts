/**
 * Announcement posts: one per announcement rule × open release × channel.
 */
import type { AnnouncementRule } from '../config/types';
import type { ExpandedCalendar, Release } from '../calendar/types';
import type { PostFacts, ReleaseFacts } from './types';
import { resolveChannel, type OfficePlanContext } from './context';
import { announcementDeadline, announcementDueAt, describeTooLate } from './deadlines';
import { postId } from './ids';

/** Adds the announcement posts (and skipped ones) of one office to the context's sinks. */
export function planAnnouncements(context: OfficePlanContext, calendar: ExpandedCalendar): void {
  for (const rule of context.office.announcements) {
    for (const release of calendar.releases) {
      // Cancelled releases are not announced; digests still show them as cancelled.
      if (release.status === 'cancelled') continue;
      const dueAt = announcementDueAt(rule.timing, release, context.office.timezone);
      const dueMs = dueAt.getTime();
      if (dueMs < context.fromMs || dueMs >= context.toMs) continue;
      const reason = impossibleReason(context, rule, release, dueAt);
      if (reason) {
        skipAll(context, rule, release.id, reason);
        continue;
      }
      addPosts(context, rule, release, dueAt, context.releaseFacts(release));
    }
  }
}

function impossibleReason(context: OfficePlanContext, rule: AnnouncementRule, release: Release, dueAt: Date): string | null {
  if (release.days.length === 0) {
    const reasons = [...new Set(release.removedDays.map((day) => day.reason))];
    const why = reasons.length > 0 ? ` (${reasons.join(', ')})` : '';
    return `release ${release.id} has no service day left: every day it covers is closed${why}; cancel the release or give it open days`;
  }
  const deadline = announcementDeadline(rule, release);
  if (dueAt.getTime() >= deadline.getTime()) {
    return describeTooLate(rule, release, context.office.timezone, dueAt, deadline);
  }
  return null;
}

function addPosts(context: OfficePlanContext, rule: AnnouncementRule, release: Release, dueAt: Date, releaseFacts: ReleaseFacts): void {
  const timing: PostFacts['timing'] =
    rule.timing.kind === 'before-opening'
      ? { kind: 'before-opening', minutes: rule.timing.minutes }
      : { kind: 'days-before', days: rule.timing.days, time: rule.timing.time };
  const facts: PostFacts = {
    office: context.officeFacts,
    services: context.serviceFacts,
    release: releaseFacts,
    timing,
  };
  // Channels do not change what a post shows: one fingerprint serves them all.
  const fingerprint = context.fingerprint(rule.template, facts);
  const deadline = announcementDeadline(rule, release);
  for (const channelId of rule.channels) {
    const resolved = resolveChannel(context, channelId);
    if ('skip' in resolved) {
      if (resolved.reason) skipOne(context, rule.id, release.id, channelId, resolved.reason);
      continue;
    }
    context.posts.push({
      id: postId(context.office.id, rule.id, release.id, channelId),
      officeId: context.office.id,
      ruleId: rule.id,
      channelId,
      kind: 'announcement',
      releaseId: release.id,
      subject: release.id,
      template: rule.template,
      dueAt,
      deadline,
      fingerprint,
      facts,
    });
  }
}

function skipAll(context: OfficePlanContext, rule: AnnouncementRule, subject: string, reason: string): void {
  for (const channelId of rule.channels) {
    if (context.channels.get(channelId)?.enabled === false) continue;
    skipOne(context, rule.id, subject, channelId, reason);
  }
}

function skipOne(context: OfficePlanContext, ruleId: string, subject: string, channelId: string, reason: string): void {
  context.skipped.push({ officeId: context.office.id, ruleId, subject, channelId, reason });
}
