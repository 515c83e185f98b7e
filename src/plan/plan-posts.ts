/**
 * The planner: config + expanded calendars + an instant range → posts with
 * stable ids, due times, deadlines and fingerprints. Pure: no clock, no I/O;
 * `now` is an argument and only drops what is already past, so a first start
 * never spams history.
 */
import type { Config } from '../config/types';
import type { ExpandedCalendar } from '../calendar/types';
import type { PlanResult, PlannedPost, SkippedPost } from './types';
import { planAnnouncements } from './announcements';
import { withApprovalCutoff } from './approval';
import { createOfficePlanContext } from './context';
import { planDigests } from './digest';
import { createFingerprinter } from './fingerprint';

export { calendarWindow } from './calendar-window';
export type { PlanResult, SkippedPost } from './types';

export interface PlanInput {
  config: Config;
  /** Office id → its calendar expanded over at least `calendarWindow(office, range)`. */
  calendars: ReadonlyMap<string, ExpandedCalendar>;
  /** Posts due in [from, to) are planned. */
  range: { from: Date; to: Date };
  /** When given, posts due before it are dropped. */
  now?: Date;
}

/**
 * Plans every announcement and digest post due in the range (and not before
 * `now`), sorted by due time, then id. Posts the rules ask for but that cannot
 * work (due after their deadline, a release with every day closed) are listed
 * in `skipped` with a reason staff can act on.
 *
 * @throws Error when an office has no calendar in `calendars` (a caller bug:
 *   planning it without releases would announce nothing and show every day empty).
 */
export function planPosts(input: PlanInput): PlanResult {
  const fromMs = Math.max(input.range.from.getTime(), input.now?.getTime() ?? -Infinity);
  const toMs = input.range.to.getTime();
  const posts: PlannedPost[] = [];
  const skipped: SkippedPost[] = [];
  const fingerprint = createFingerprinter();
  for (const office of input.config.offices) {
    const calendar = input.calendars.get(office.id);
    if (!calendar) {
      throw new Error(
        `planPosts: no expanded calendar for office ${office.id}; pass expandCalendar(office, calendarWindow(office, range))`,
      );
    }
    const officePosts: PlannedPost[] = [];
    const context = createOfficePlanContext(office, { fromMs, toMs }, { posts: officePosts, skipped, fingerprint });
    planAnnouncements(context, calendar);
    planDigests(context, calendar);
    for (const post of officePosts) posts.push(withApprovalCutoff(office, post));
  }
  return { posts: sortPosts(posts), skipped };
}

/** By due time, then id. Keys are read once: a comparator calling getTime() dominated a year-long plan. */
function sortPosts(posts: PlannedPost[]): PlannedPost[] {
  const keyed = posts.map((post) => ({ due: post.dueAt.getTime(), id: post.id, post }));
  keyed.sort((a, b) => a.due - b.due || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((entry) => entry.post);
}
