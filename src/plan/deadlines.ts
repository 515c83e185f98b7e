/**
 * Due times and deadlines of announcements. A "opens in 60 minutes" post is
 * worthless once the window has opened, so every announcement carries the
 * instant after which it must not go out.
 */
import type { AnnouncementRule, AnnouncementTiming } from '../config/types';
import type { Release } from '../calendar/types';
import { addDays } from '../time/plain-date';
import { fromLocal, toLocal } from '../time/zone';

const MINUTE_MS = 60_000;

/**
 * When an announcement of `release` is due. `days-before` is counted in local
 * calendar days and converted in the office zone, so "1 day before at 19:00"
 * stays 19:00 across a DST change (it is not opensAt minus 24 hours).
 */
export function announcementDueAt(timing: AnnouncementTiming, release: Release, zone: string): Date {
  if (timing.kind === 'before-opening') return new Date(release.opensAt.getTime() - timing.minutes * MINUTE_MS);
  return fromLocal(addDays(release.opensOn, -timing.days), timing.time, zone);
}

/** opensAt + the rule's grace minutes, but never after the release closes. */
export function announcementDeadline(rule: AnnouncementRule, release: Release): Date {
  const afterOpening = release.opensAt.getTime() + rule.deadlineMinutesAfterOpening * MINUTE_MS;
  if (release.closesAt && release.closesAt.getTime() < afterOpening) return new Date(release.closesAt.getTime());
  return new Date(afterOpening);
}

/** "h-1 (1 day before at 19:00)"-style wording of a rule's timing. */
export function describeTiming(timing: AnnouncementTiming): string {
  if (timing.kind === 'days-before') {
    if (timing.days === 0) return `on the opening day at ${timing.time}`;
    return `${timing.days} day${timing.days === 1 ? '' : 's'} before at ${timing.time}`;
  }
  return timing.minutes === 0 ? 'at opening' : `${timing.minutes} minutes before opening`;
}

function isCappedByClosing(release: Release, deadline: Date): boolean {
  return release.closesAt !== null && release.closesAt.getTime() === deadline.getTime();
}

/** What a rule's deadline for `release` is tied to: "when the release opens", "30 minutes after it opens", "when booking closes". */
export function describeDeadline(rule: AnnouncementRule, release: Release, deadline: Date): string {
  if (isCappedByClosing(release, deadline)) return 'when booking closes';
  return rule.deadlineMinutesAfterOpening === 0 ? 'when the release opens' : `${rule.deadlineMinutesAfterOpening} minutes after it opens`;
}

/** Why an announcement due at `dueAt` cannot go out before `deadline`, and what to change. */
export function describeTooLate(rule: AnnouncementRule, release: Release, zone: string, dueAt: Date, deadline: Date): string {
  const capped = isCappedByClosing(release, deadline);
  const why = describeDeadline(rule, release, deadline);
  const fix =
    rule.timing.kind === 'days-before'
      ? 'move the rule earlier (more days before, or an earlier time)'
      : capped
        ? 'check the closing time of the release'
        : 'give the rule a later deadline (deadlineMinutesAfterOpening)';
  return (
    `${rule.id} posts ${describeTiming(rule.timing)} (${formatLocal(dueAt, zone)}), ` +
    `which is not before its deadline ${formatLocal(deadline, zone)} (${why}) for release ${release.id}; ${fix}`
  );
}

function formatLocal(instant: Date, zone: string): string {
  const local = toLocal(instant, zone);
  return `${local.date} ${local.time} ${zone}`;
}
