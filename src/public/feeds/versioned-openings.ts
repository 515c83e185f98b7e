/**
 * An office's public openings with their versions (store/public-versions.ts):
 * each opening's SEQUENCE and modification time, and when the list as a whole
 * last changed (an opening added, removed, edited, or changing state), which
 * is the calendar's and the openings API's Last-Modified.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../../store/open';
import { recordPublicVersions } from '../../store/public-versions';
import type { PublicOpening } from '../types';
import type { VersionedOpening } from './calendar-ics';

export interface VersionedOpenings {
  openings: VersionedOpening[];
  /** When the list (which openings, their content, their states) last changed. */
  modifiedAt: Date;
}

export const OPENINGS_ITEM = 'openings';

export function openingItem(releaseId: string): string {
  return `opening:${releaseId}`;
}

/**
 * Records what is shown now (writing only what changed) and returns the
 * openings with their versions. `revisionId` (the office's config revision)
 * counts as a change of the list: the office's name or services in the feed
 * may change without any opening changing.
 */
export async function versionOpenings(store: Store, officeId: string, openings: readonly PublicOpening[], revisionId: number, now: Date): Promise<VersionedOpenings> {
  const listFingerprint = createHash('sha256')
    .update(JSON.stringify([revisionId, openings.map((opening) => [opening.releaseId, opening.fingerprint, opening.state])]))
    .digest('hex');
  const versions = await recordPublicVersions(
    store,
    officeId,
    [...openings.map((opening) => ({ item: openingItem(opening.releaseId), fingerprint: opening.fingerprint })), { item: OPENINGS_ITEM, fingerprint: listFingerprint }],
    now,
  );
  const versioned = openings.map((opening) => {
    // Always there: recorded just above.
    const version = versions.get(openingItem(opening.releaseId))!;
    return { ...opening, sequence: version.sequence, modifiedAt: version.modifiedAt };
  });
  return { openings: versioned, modifiedAt: versions.get(OPENINGS_ITEM)!.modifiedAt };
}
