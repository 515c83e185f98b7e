/**
 * Digest posts: the weekly schedule. One per digest rule × cron occurrence in
 * the office zone × channel. Each lists every date of its period, so a week
 * with a holiday shows four service days and says why the fifth is missing.
 */
import type { DigestRule } from '../config/types';
import type { ExpandedCalendar, Release } from '../calendar/types';
import type { DigestFacts, PostFacts, ReleaseFacts } from './types';
import { resolveChannel, type OfficePlanContext } from './context';
import { cronOccurrences, parseCron } from './cron';
import { postId } from './ids';
import { addDays, eachDate, weekdayOf, type PlainDate } from '../time/plain-date';
import { fromLocal, toLocal } from '../time/zone';

const MINUTE_MS = 60_000;

/** How far past a digest's period the next opening is looked for (monthly offices open ~monthly). */
export const NEXT_OPENING_LOOKAHEAD_DAYS = 62;

/** Per-office lookups built once and shared by every digest of the office. */
interface DigestIndex {
  /** Summed quota per date over open releases. */
  quotaByDate: Map<PlainDate, Record<string, number>>;
  closedByDate: Map<PlainDate, string>;
  /** All releases (open and cancelled) by opening time. */
  releases: Release[];
}

/** Adds the digest posts (and skipped ones) of one office to the context's sinks. */
export function planDigests(context: OfficePlanContext, calendar: ExpandedCalendar): void {
  if (context.office.digests.length === 0) return;
  const index = buildDigestIndex(calendar);
  const releaseFacts = context.releaseFacts;
  const zone = context.office.timezone;
  for (const rule of context.office.digests) {
    const parsed = parseCron(rule.cron);
    if (!parsed.ok) {
      for (const channelId of rule.channels) {
        context.skipped.push({
          officeId: context.office.id,
          ruleId: rule.id,
          subject: 'digest',
          channelId,
          reason: `digest rule ${rule.id} has an invalid cron expression \`${rule.cron}\`: ${parsed.message}`,
        });
      }
      continue;
    }
    const occurrences = cronOccurrences(parsed.value, zone, new Date(context.fromMs), new Date(context.toMs));
    for (const dueAt of occurrences) addDigestPosts(context, rule, index, releaseFacts, dueAt);
  }
}

function addDigestPosts(
  context: OfficePlanContext,
  rule: DigestRule,
  index: DigestIndex,
  releaseFacts: (release: Release) => ReleaseFacts,
  dueAt: Date,
): void {
  const digest = buildDigestFacts(context.office.timezone, rule, index, releaseFacts, dueAt);
  const facts: PostFacts = { office: context.officeFacts, services: context.serviceFacts, digest };
  const fingerprint = context.fingerprint(rule.template, facts);
  const subject = `digest:${digest.from}..${digest.to}`;
  const deadline = new Date(dueAt.getTime() + rule.deadlineMinutes * MINUTE_MS);
  for (const channelId of rule.channels) {
    const resolved = resolveChannel(context, channelId);
    if ('skip' in resolved) {
      if (resolved.reason) {
        context.skipped.push({ officeId: context.office.id, ruleId: rule.id, subject, channelId, reason: resolved.reason });
      }
      continue;
    }
    context.posts.push({
      id: postId(context.office.id, rule.id, subject, channelId),
      officeId: context.office.id,
      ruleId: rule.id,
      channelId,
      kind: 'digest',
      releaseId: null,
      subject,
      template: rule.template,
      dueAt,
      deadline,
      fingerprint,
      facts,
    });
  }
}

/**
 * The facts of the digest posted at `dueAt`: the period starts startOffsetDays
 * after the local post date and lasts rangeDays.
 */
function buildDigestFacts(
  zone: string,
  rule: DigestRule,
  index: DigestIndex,
  releaseFacts: (release: Release) => ReleaseFacts,
  dueAt: Date,
): DigestFacts {
  const postDate = toLocal(dueAt, zone).date;
  const from = addDays(postDate, rule.startOffsetDays);
  const to = addDays(from, Math.max(1, rule.rangeDays) - 1);
  const days = eachDate(from, to).map((date) => {
    const quota = index.quotaByDate.get(date);
    const weekday = weekdayOf(date);
    const day: DigestFacts['days'][number] = {
      date,
      quota: quota ? { ...quota } : null,
      weekend: weekday === 0 || weekday === 6,
    };
    const closedReason = index.closedByDate.get(date);
    if (closedReason !== undefined) day.closedReason = closedReason;
    return day;
  });
  // Openings between the post and the end of the period's last day: when to book.
  const startMs = dueAt.getTime();
  const endMs = fromLocal(addDays(to, 1), '00:00', zone).getTime();
  const openings: ReleaseFacts[] = [];
  const lookaheadEndMs = fromLocal(addDays(to, 1 + NEXT_OPENING_LOOKAHEAD_DAYS), '00:00', zone).getTime();
  let nextOpening: ReleaseFacts | undefined;
  for (const release of index.releases) {
    const opensMs = release.opensAt.getTime();
    if (opensMs < startMs) continue;
    if (opensMs >= lookaheadEndMs) break;
    if (opensMs < endMs) {
      openings.push(releaseFacts(release));
    } else if (release.status === 'open') {
      nextOpening = releaseFacts(release);
      break;
    }
  }
  return { from, to, openings, days, ...(nextOpening ? { nextOpening } : {}) };
}

function buildDigestIndex(calendar: ExpandedCalendar): DigestIndex {
  const quotaByDate = new Map<PlainDate, Record<string, number>>();
  for (const release of calendar.releases) {
    if (release.status !== 'open') continue;
    for (const day of release.days) {
      let sum = quotaByDate.get(day.date);
      if (!sum) {
        sum = {};
        quotaByDate.set(day.date, sum);
      }
      for (const [service, count] of Object.entries(day.quota)) sum[service] = (sum[service] ?? 0) + count;
    }
  }
  const closedByDate = new Map<PlainDate, string>();
  for (const closed of calendar.closedDays) {
    // Two reasons on one date (a closure on a holiday): show both.
    const existing = closedByDate.get(closed.date);
    closedByDate.set(closed.date, existing && existing !== closed.reason ? `${existing}; ${closed.reason}` : closed.reason);
  }
  const releases = [...calendar.releases].sort(
    (a, b) => a.opensAt.getTime() - b.opensAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { quotaByDate, closedByDate, releases };
}
