/**
 * When the opening of each announcement opens, as the announcement said it:
 * from the facts its posts were rendered from, not from today's calendar. A
 * feed entry's title must keep the time it announced after a correction moves
 * the opening (the correction has a title of its own, with the new time).
 */
import type { PostFacts } from '../../plan/types';
import type { Store } from '../../store/open';
import type { PublicAnnouncement } from '../types';

/** By announcement code; digests and posts without an opening are left out. */
export async function announcedOpeningTimes(store: Store, announcements: readonly Pick<PublicAnnouncement, 'officeId' | 'code' | 'releaseId'>[]): Promise<Map<string, Date>> {
  const about = announcements.filter((announcement) => announcement.releaseId !== null);
  const times = new Map<string, Date>();
  if (about.length === 0) return times;
  const rows = await store.db
    .selectFrom('posts')
    .select(['verify_code', 'facts_json'])
    .where('office_id', 'in', [...new Set(about.map((announcement) => announcement.officeId))])
    .where('verify_code', 'in', about.map((announcement) => announcement.code))
    .where('state', '=', 'published')
    .execute();
  for (const row of rows) {
    if (row.verify_code === null || times.has(row.verify_code)) continue;
    const opensAt = openingOf(row.facts_json);
    if (opensAt) times.set(row.verify_code, opensAt);
  }
  return times;
}

function openingOf(factsJson: string): Date | null {
  try {
    const opensAt = (JSON.parse(factsJson) as PostFacts).release?.opensAt;
    const instant = opensAt ? new Date(opensAt) : null;
    return instant && !Number.isNaN(instant.getTime()) ? instant : null;
  } catch {
    return null;
  }
}
