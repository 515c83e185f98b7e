/** Expands every office's calendar and plans its posts: the pure core, composed. */
import { expandCalendar } from '../calendar/expand';
import type { ExpandedCalendar } from '../calendar/types';
import type { Config } from '../config/types';
import { calendarWindow, planPosts, type PlanResult } from '../plan/plan-posts';

export function planAll(config: Config, range: { from: Date; to: Date }, now?: Date): PlanResult {
  const calendars = new Map<string, ExpandedCalendar>();
  for (const office of config.offices) {
    calendars.set(office.id, expandCalendar(office, calendarWindow(office, range)));
  }
  return planPosts(now ? { config, calendars, range, now } : { config, calendars, range });
}
