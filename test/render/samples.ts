/** One post per sample template, as the sample office would plan them. */
import type { PlannedPost } from '../../src/plan/types';
import { aPost, aRelease } from './post-builder';

export function samplePosts(channelId: string): Record<string, PlannedPost> {
  const before = aRelease();
  return {
    'h-1': aPost({ template: 'h-1', channelId, facts: { release: aRelease({ note: 'Pemohon lansia & ibu hamil didahulukan.' }) } }),
    'h-60m': aPost({
      template: 'h-60m',
      channelId,
      dueAt: '2026-12-18T06:00:00.000Z',
      facts: { timing: { kind: 'before-opening', minutes: 60 } },
    }),
    opening: aPost({
      template: 'opening',
      channelId,
      dueAt: '2026-12-18T07:00:00.000Z',
      facts: { timing: { kind: 'before-opening', minutes: 0 }, release: aRelease({ closesAt: '2026-12-18T10:00:00.000Z' }) },
    }),
    weekly: aPost({ kind: 'digest', template: 'weekly', channelId, dueAt: '2026-12-20T11:00:00.000Z' }),
    correction: aPost({
      kind: 'correction',
      template: 'correction',
      channelId,
      dueAt: '2026-12-17T13:00:00.000Z',
      facts: {
        previous: before,
        release: aRelease({ days: before.days.map((d, i) => (i === 2 ? { ...d, quota: { reguler: 80, percepatan: 20 } } : d)) }),
      },
    }),
    cancellation: aPost({
      kind: 'cancellation',
      template: 'cancellation',
      channelId,
      dueAt: '2026-12-17T13:00:00.000Z',
      facts: { release: aRelease({ status: 'cancelled', cancelReason: 'pemeliharaan sistem M-Paspor' }) },
    }),
  };
}
