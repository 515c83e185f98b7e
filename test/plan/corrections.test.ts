/**
 * plan/corrections: which correction or cancellation a published history owes,
 * planned from the real calendar expansion of a config edited after the fact.
 */
import { expandCalendar } from '../../src/calendar/expand';
import type { Config, ExplicitRelease, OfficeConfig } from '../../src/config/types';
import { planCorrections, type PublishedHistory } from '../../src/plan/corrections';
import type { PostKind, ReleaseFacts } from '../../src/plan/types';
import { buildReleaseFacts } from '../../src/plan/facts';
import { buildRenderContext } from '../../src/render/context';
import { at, buildConfig, buildOffice } from './builders';

const here = { file: 'config/calendar.yaml', line: 1, col: 1 };
/** The day after the opening (Fri 27 Nov 14:00 WIB), service days Mon 30 Nov and Tue 1 Dec. */
const NOW = at('2026-11-28T10:00+07:00');

interface Spec {
  id?: string;
  opens?: string;
  reguler?: number;
  days?: string[];
  cancelled?: boolean;
  cancelReason?: string;
}

function explicit(spec: Spec = {}): ExplicitRelease {
  const [date, time] = (spec.opens ?? '2026-11-27 14:00').split(' ') as [string, string];
  const release: ExplicitRelease = {
    id: spec.id ?? 'buka-27nov',
    opensAt: { date, time },
    days: (spec.days ?? ['2026-11-30', '2026-12-01']).map((day) => ({ date: day, quota: { reguler: spec.reguler ?? 120, percepatan: 20 }, location: here })),
    cancelled: spec.cancelled ?? false,
    origin: 'explicit',
    location: here,
  };
  if (spec.cancelReason !== undefined) release.cancelReason = spec.cancelReason;
  return release;
}

function configWith(releases: ExplicitRelease[], office: Partial<OfficeConfig> = {}): Config {
  const base = buildOffice(office);
  return buildConfig([{ ...base, calendar: { ...base.calendar, releases } }]);
}

/** What a config said about a release: the facts a post planned from it showed. */
function factsOf(config: Config, releaseId = 'buka-27nov'): ReleaseFacts {
  const office = config.offices[0]!;
  const release = expandCalendar(office, { from: '2026-10-01', to: '2027-03-31' }).releases.find((r) => r.id === releaseId);
  if (!release) throw new Error(`no release ${releaseId}`);
  return buildReleaseFacts(release);
}

function history(channelId: string, posts: [PostKind, string, ReleaseFacts][], releaseId = 'buka-27nov'): PublishedHistory {
  return { officeId: 'kanim-pontianak', releaseId, channelId, posts: posts.map(([kind, when, release]) => ({ kind, publishedAt: at(when), release })) };
}

const ANNOUNCED = factsOf(configWith([explicit()]));
/** h-1 the evening before, then at opening, on both channels. */
const BOTH: PublishedHistory[] = ['x', 'instagram'].map((channel) =>
  history(channel, [
    ['announcement', '2026-11-26T19:00+07:00', ANNOUNCED],
    ['announcement', '2026-11-27T14:00+07:00', ANNOUNCED],
  ]),
);

describe('plan/corrections', () => {
  it('plans one correction per channel, not per rule, at once, quoting the old and new counts', () => {
    const config = configWith([explicit({ reguler: 80 })]);
    const decisions = planCorrections({ config, histories: BOTH, now: NOW });
    expect(decisions.map((d) => [d.key.channelId, d.post?.kind, d.post?.template, d.post?.ruleId])).toEqual([
      ['x', 'correction', 'correction', 'correction'],
      ['instagram', 'correction', 'correction', 'correction'],
    ]);
    const post = decisions[0]!.post!;
    expect(post).toMatchObject({ officeId: 'kanim-pontianak', channelId: 'x', releaseId: 'buka-27nov', subject: 'buka-27nov', dueAt: NOW });
    // Half a day, well before the end of the last service day (2 Dec 00:00 WIB).
    expect(post.deadline).toEqual(at('2026-11-28T22:00+07:00'));
    expect(post.facts.previous).toEqual(ANNOUNCED);
    expect(post.facts.release).toEqual(factsOf(config));
    expect(decisions[1]!.post!.id).not.toBe(post.id);
    const changes = buildRenderContext(post).changes!;
    expect(changes.opensAtChanged).toBe(false);
    expect(changes.counts.map((c) => `${c.date} ${c.serviceId} ${c.before}→${c.after}`)).toEqual([
      '2026-11-30 reguler 120→80',
      '2026-12-01 reguler 120→80',
    ]);
  });

  it('gives the same ids on every re-plan, and a new id for a second change', () => {
    const cut = configWith([explicit({ reguler: 80 })]);
    const first = planCorrections({ config: cut, histories: BOTH, now: NOW }).map((d) => d.post!.id);
    const later = planCorrections({ config: cut, histories: BOTH, now: at('2026-11-28T10:10+07:00') });
    expect(later.map((d) => d.post!.id)).toEqual(first);
    expect(later[0]!.post!.dueAt).toEqual(at('2026-11-28T10:10+07:00'));
    const again = planCorrections({ config: configWith([explicit({ reguler: 60 })]), histories: BOTH, now: NOW }).map((d) => d.post!.id);
    expect(again.every((id) => !first.includes(id))).toBe(true);
  });

  it('owes nothing while the calendar still says what was published (or only a note changed)', () => {
    const same = configWith([{ ...explicit(), note: 'Bawa KTP asli' }]);
    expect(planCorrections({ config: same, histories: BOTH, now: NOW }).map((d) => d.post)).toEqual([null, null]);
  });

  it('after a correction went out, owes nothing for it, and quotes that correction on a second change', () => {
    const cut = factsOf(configWith([explicit({ reguler: 80 })]));
    const corrected = history('x', [
      ['announcement', '2026-11-27T14:00+07:00', ANNOUNCED],
      ['correction', '2026-11-28T09:00+07:00', cut],
    ]);
    expect(planCorrections({ config: configWith([explicit({ reguler: 80 })]), histories: [corrected], now: NOW })[0]!.post).toBeNull();
    const [second] = planCorrections({ config: configWith([explicit({ reguler: 60 })]), histories: [corrected], now: NOW });
    expect(second!.post!.facts.previous).toEqual(cut);
    expect(buildRenderContext(second!.post!).changes!.counts.map((c) => `${c.before}→${c.after}`)).toEqual(['80→60', '80→60']);
  });

  it('quotes the announcement when a later one already showed the new count, and the later one when the count went back', () => {
    const cutFacts = factsOf(configWith([explicit({ reguler: 80 })]));
    const mixed = history('x', [
      ['announcement', '2026-11-26T19:00+07:00', ANNOUNCED],
      ['announcement', '2026-11-27T14:00+07:00', cutFacts],
    ]);
    const [quoted] = planCorrections({ config: configWith([explicit({ reguler: 80 })]), histories: [mixed], now: NOW });
    expect(quoted!.post!.facts.previous).toEqual(ANNOUNCED);
    // The same correction the first announcement alone would owe: already planned, not doubled.
    expect(quoted!.post!.id).toBe(planCorrections({ config: configWith([explicit({ reguler: 80 })]), histories: [BOTH[0]!], now: NOW })[0]!.post!.id);
    const [back] = planCorrections({ config: configWith([explicit()]), histories: [mixed], now: NOW });
    expect(back!.post!.facts.previous).toEqual(cutFacts);
  });

  it('reports a moved opening as a correction, also when it moved beyond the old dates', () => {
    const moved = configWith([explicit({ opens: '2026-12-18 09:00', days: ['2026-12-21'] })]);
    const [decision] = planCorrections({ config: moved, histories: [BOTH[0]!], now: NOW });
    expect(decision!.post!.kind).toBe('correction');
    expect(buildRenderContext(decision!.post!).changes!.opensAtChanged).toBe(true);
    // The last service day moved too: the deadline is still half a day.
    expect(decision!.post!.deadline).toEqual(at('2026-11-28T22:00+07:00'));
  });

  it('plans a cancellation with the reason when the release is cancelled', () => {
    const config = configWith([explicit({ cancelled: true, cancelReason: 'gangguan sistem M-Paspor' })]);
    const decisions = planCorrections({ config, histories: BOTH, now: NOW });
    expect(decisions.map((d) => [d.key.channelId, d.post?.kind, d.post?.template])).toEqual([
      ['x', 'cancellation', 'cancellation'],
      ['instagram', 'cancellation', 'cancellation'],
    ]);
    const post = decisions[0]!.post!;
    expect(post.facts.release).toMatchObject({ status: 'cancelled', cancelReason: 'gangguan sistem M-Paspor' });
    expect(post.facts.previous).toBeUndefined();
    expect(buildRenderContext(post).release).toMatchObject({ cancelled: true, cancelReason: 'gangguan sistem M-Paspor' });
  });

  it('plans a cancellation from the published facts when the release was removed', () => {
    const [decision] = planCorrections({ config: configWith([]), histories: [BOTH[0]!], now: NOW });
    expect(decision!.post).toMatchObject({ kind: 'cancellation', template: 'cancellation' });
    expect(decision!.post!.facts.release).toEqual({ ...ANNOUNCED, status: 'cancelled' });
  });

  it('cancels a release left without a service day, saying why', () => {
    const closures = [{ from: '2026-11-30', to: '2026-12-01', reason: 'Pemadaman listrik', location: here }];
    const base = buildOffice();
    const config = buildConfig([{ ...base, calendar: { ...base.calendar, releases: [explicit()], closures } }]);
    const [decision] = planCorrections({ config, histories: [BOTH[0]!], now: NOW });
    expect(decision!.post!.kind).toBe('cancellation');
    expect(decision!.post!.facts.release).toMatchObject({ status: 'cancelled', cancelReason: 'Pemadaman listrik', days: [] });
  });

  it('owes nothing after a cancellation went out', () => {
    const cancelled = factsOf(configWith([explicit({ cancelled: true })]));
    const done = history('x', [
      ['announcement', '2026-11-27T14:00+07:00', ANNOUNCED],
      ['cancellation', '2026-11-28T09:00+07:00', cancelled],
    ]);
    expect(planCorrections({ config: configWith([]), histories: [done], now: NOW })[0]!.post).toBeNull();
    expect(planCorrections({ config: configWith([explicit({ reguler: 80 })]), histories: [done], now: NOW })[0]!.post).toBeNull();
  });

  it('ends the deadline with the last service day, and owes nothing once that day is over', () => {
    const config = configWith([explicit({ reguler: 80 })]);
    const [late] = planCorrections({ config, histories: [BOTH[0]!], now: at('2026-12-01T15:00+07:00') });
    expect(late!.post!.deadline).toEqual(at('2026-12-02T00:00+07:00'));
    expect(planCorrections({ config, histories: [BOTH[0]!], now: at('2026-12-02T00:00+07:00') })[0]!.post).toBeNull();
  });

  it('skips channels no longer enabled, and offices no longer configured', () => {
    const base = buildOffice();
    const channels = base.channels.map((c) => (c.id === 'instagram' ? { ...c, enabled: false } : c));
    const config = configWith([explicit({ reguler: 80 })], { channels });
    expect(planCorrections({ config, histories: BOTH, now: NOW }).map((d) => [d.key.channelId, d.post?.kind ?? null])).toEqual([
      ['x', 'correction'],
      ['instagram', null],
    ]);
    const stranger = { ...BOTH[0]!, officeId: 'kanim-lain' };
    expect(planCorrections({ config, histories: [stranger], now: NOW })).toEqual([]);
  });
});
