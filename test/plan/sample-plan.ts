/**
 * A fixed plan over three weeks of the sample office, shared by the stability
 * test and by the child process that repeats it under another host time zone.
 * Run directly (`node bin/run-ts.js test/plan/sample-plan.ts`) it prints the
 * plan's identity fields as JSON.
 */
import { planPosts } from '../../src/plan/plan-posts';
import { at, buildCalendar, buildConfig, buildOffice, buildRelease, buildWeeklyReleases } from './builders';

export function planSample(): { id: string; fingerprint: string; dueAt: string; deadline: string | null; subject: string }[] {
  const office = buildOffice();
  const releases = [
    ...buildWeeklyReleases('2026-11-20', 4),
    buildRelease({ id: 'tambahan-desember', opens: '2026-12-01 09:00', closes: '2026-12-01 12:00', days: ['2026-12-09'], quota: { percepatan: 50 } }),
  ];
  const calendar = buildCalendar(releases, [{ date: '2026-12-25', reason: 'Hari Raya Natal', kind: 'holiday' }]);
  const result = planPosts({
    config: buildConfig([office]),
    calendars: new Map([[office.id, calendar]]),
    range: { from: at('2026-11-23T00:00+07:00'), to: at('2026-12-14T00:00+07:00') },
  });
  return result.posts.map((post) => ({
    id: post.id,
    fingerprint: post.fingerprint,
    dueAt: post.dueAt.toISOString(),
    deadline: post.deadline?.toISOString() ?? null,
    subject: post.subject,
  }));
}

// run-ts.js puts the entry file in argv[1]; require.main is run-ts.js itself.
if (process.argv[1] === __filename) process.stdout.write(JSON.stringify(planSample()));
