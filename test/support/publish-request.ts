/**
 * The facts a test's PublishRequest carries: the render fixtures' office and
 * services with one release opening at `scheduledAt`. Drivers that send facts
 * as data (the webhook) read them; the others ignore them.
 */
import type { PostFacts } from '../../src/plan/types';
import { OFFICE, SERVICES, aRelease } from '../render/post-builder';

export function requestFacts(opensAt: Date = new Date('2026-11-27T07:00:00Z')): PostFacts {
  return { office: OFFICE, services: SERVICES, release: aRelease({ opensAt: opensAt.toISOString() }), timing: { kind: 'before-opening', minutes: 60 } };
}
