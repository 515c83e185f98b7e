/**
 * What an office's public responses depend on in the database, as one short
 * string for web/public-cache.ts: its current config revision and its
 * published announcements (count and last publication). Read with two indexed
 * queries and kept `ttlMs` (1 s) per office, so 2,000 requests a second cost
 * at most one read a second per office, and a post published at the opening
 * shows on the page within a second.
 *
 * Every published post counts, dry runs too: the version only has to change
 * when a page might, never the other way round.
 */
import type { Clock } from '../clock';
import { announcementsVersion } from '../public/announcements';
import type { PublicOpening } from '../public/types';
import type { Store } from '../store/open';
import { addDays } from '../time/plain-date';
import { fromLocal } from '../time/zone';

export interface PublicVersions {
  /**
   * `r12:a340:1765000000000`. `fresh`: read now, not up to a second old (a feed
   * polled now and then, whose reader expects a post the moment it is published).
   */
  of(officeId: string, options?: { fresh?: boolean }): Promise<string>;
}

export function createPublicVersions(store: Store, clock: Pick<Clock, 'now'>, options: { ttlMs?: number } = {}): PublicVersions {
  const ttlMs = options.ttlMs ?? 1000;
  const kept = new Map<string, { version: string; readAt: number }>();
  const reading = new Map<string, Promise<string>>();

  async function read(officeId: string): Promise<string> {
    const [current, announcements] = await Promise.all([
      store.db.selectFrom('config_current').select('revision_id').where('office_id', '=', officeId).executeTakeFirst(),
      announcementsVersion(store, officeId, { includeDryRun: true }),
    ]);
    return `r${current?.revision_id ?? '-'}:a${announcements.count}:${announcements.lastChange?.getTime() ?? '-'}`;
  }

  return {
    async of(officeId, options = {}) {
      const now = clock.now().getTime();
      const known = kept.get(officeId);
      if (known && !options.fresh && now - known.readAt < ttlMs && now >= known.readAt) return known.version;
      const running = reading.get(officeId);
      if (running) return running;
      const made = read(officeId)
        .then((version) => {
          kept.set(officeId, { version, readAt: now });
          return version;
        })
        .finally(() => reading.delete(officeId));
      reading.set(officeId, made);
      return made;
    },
  };
}

/** The minute of `now` (ms since the epoch / 60,000): pages that show states add it to their version. */
export function minuteOf(now: Date): number {
  return Math.floor(now.getTime() / 60_000);
}

/**
 * The next instant at which one of `openings` changes state by itself (public/openings.ts
 * `openingState`): it opens, it closes, or its last service day ends in its zone. A page
 * showing states is not kept (by us or a CDN) past it: public-cache.ts `changesAt`.
 */
export function nextStateChange(openings: readonly Pick<PublicOpening, 'status' | 'opensAt' | 'closesAt' | 'days' | 'timezone'>[], now: Date): Date | null {
  const changes = openings.flatMap((opening) => {
    if (opening.status === 'cancelled') return [];
    const lastDay = opening.days[opening.days.length - 1]?.date;
    const ends = opening.closesAt ?? (lastDay === undefined ? null : fromLocal(addDays(lastDay, 1), '00:00', opening.timezone));
    return [opening.opensAt, ends].filter((instant): instant is Date => instant !== null && instant > now);
  });
  return changes.length === 0 ? null : new Date(Math.min(...changes.map((instant) => instant.getTime())));
}
