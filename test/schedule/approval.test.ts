/**
 * Approvals with the real scheduler, the sample office (its opening posts need
 * approval 24 h ahead) and the outbox driver, on a virtual clock, on SQLite and
 * PostgreSQL: an unapproved post is held and alerted once at its cut-off, an
 * approved one (even late) goes out, one changed after approval is held again,
 * and two instances on one PostgreSQL database cannot send an unapproved post.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAll } from '../../src/app/load-all';
import { replanInto } from '../../src/app/replan';
import { buildRuntime } from '../../src/app/runtime';
import { readOutbox } from '../../src/channels/outbox/outbox-channel';
import { createVirtualClock, type VirtualClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import type { Alert } from '../../src/schedule/alerts';
import { createScheduler, type Scheduler } from '../../src/schedule/scheduler';
import { approvePosts, listAwaitingApproval } from '../../src/store/approvals';
import { listPosts } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { REPO_ROOT } from '../support/cli';
import { DIALECTS, useTestStore } from '../support/databases';

// Friday 4 December 2026: quota opens at 14.00 WIB (07:00Z); its opening posts must be approved 24 h ahead.
const OPENING = new Date('2026-12-04T07:00:00Z');
const CUTOFF = new Date('2026-12-03T07:00:00Z');
const DEADLINE = new Date('2026-12-04T08:00:00Z');
const START = new Date('2026-12-02T12:00:00Z');
const WEEK = { officeId: 'kanim-pontianak', from: new Date('2026-12-04T00:00:00Z'), to: new Date('2026-12-05T00:00:00Z') };
const minutes = (instant: Date, n: number): Date => new Date(instant.getTime() + n * 60_000);

describe.each(DIALECTS)('schedule/approval on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let dir: string;
  let configDir: string;
  let clock: VirtualClock;
  let alerts: Alert[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-approval-'));
    configDir = path.join(dir, 'config');
    fs.cpSync(path.join(REPO_ROOT, 'config'), configDir, { recursive: true });
    const herald = path.join(configDir, 'herald.yaml');
    fs.writeFileSync(herald, `${fs.readFileSync(herald, 'utf8').trimEnd()}\n  approval: { required: true, hoursBefore: 24, rules: [opening] }\n`);
    clock = createVirtualClock(START);
    alerts = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function load() {
    const outcome = loadAll(configDir, { now: clock.now() });
    if (!outcome.loaded) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
    return outcome.loaded;
  }

  function schedulerOn(store: Store, owner: string): Scheduler {
    const loaded = load();
    const logger = createSilentLogger();
    const runtime = buildRuntime(loaded, { clock, logger, outboxDir: dir, env: {}, fetch }, 1);
    return createScheduler({ store, clock, logger, runtime: () => runtime, owner, mediaRoot: dir, storeCards: false, alert: (a) => alerts.push(a), random: () => 0.5 });
  }

  /** Ticks at `instant` like the loop: again while something moved. */
  async function tickAt(scheduler: Scheduler, instant: Date): Promise<void> {
    clock.set(instant);
    for (let ticks = 0; ticks < 20; ticks += 1) if ((await scheduler.tick()) === 0) return;
    throw new Error('the scheduler kept moving posts for 20 ticks at one instant');
  }

  const outbox = (): ReturnType<typeof readOutbox> => {
    const file = path.join(dir, 'outbox.jsonl');
    return fs.existsSync(file) ? readOutbox(file) : [];
  };
  const openings = () => outbox().filter((r) => r.rule === 'opening' && r.publishedAt.startsWith('2026-12-04'));
  const unapproved = () => alerts.filter((a) => a.kind === 'unapproved');

  async function awaiting(): Promise<{ id: string; revision: number; channel: string; rendered: boolean }[]> {
    return (await listAwaitingApproval(ctx.store, WEEK)).map((a) => ({ id: a.post.id, revision: a.post.revision, channel: a.post.channelId, rendered: a.rendered }));
  }

  it('holds an unapproved opening post, alerts once at the cut-off, and sends it once approved, even late', async () => {
    await replanInto(ctx.store, load().config, START);
    const scheduler = schedulerOn(ctx.store, 'bot-1');
    await tickAt(scheduler, START);
    // Rendered days ahead, so staff approve what will go out.
    const held = await awaiting();
    expect(held.map((p) => `${p.channel} ${p.rendered}`).sort()).toEqual(['instagram true', 'x true']);

    await tickAt(scheduler, minutes(CUTOFF, -1));
    expect(unapproved()).toEqual([]);
    await tickAt(scheduler, CUTOFF);
    expect(unapproved().map((a) => a.post?.channelId).sort()).toEqual(['instagram', 'x']);
    expect(unapproved()[0]!.message).toMatch(/needed a staff approval by 2026-12-03T07:00:00.000Z and has none: it is held and never sent unapproved\. Approve it in the console before its deadline 2026-12-04T08:00:00.000Z/);
    await tickAt(scheduler, minutes(CUTOFF, 30));
    expect(unapproved()).toHaveLength(2);

    // The other rules go out on time; the held opening posts do not, and the loop is not kept busy by them.
    await tickAt(scheduler, new Date('2026-12-03T12:00:00Z')); // h-1: 19.00 WIB the evening before
    await tickAt(scheduler, minutes(OPENING, -60)); // h-60m
    await tickAt(scheduler, OPENING);
    await tickAt(scheduler, minutes(OPENING, 1));
    expect(outbox().filter((r) => r.rule !== 'opening').map((r) => `${r.rule} ${r.channel}`).sort()).toEqual(['h-1 instagram', 'h-1 x', 'h-60m instagram', 'h-60m x']);
    expect(openings()).toEqual([]);
    const next = await scheduler.nextEvents();
    expect(next.nextDue === null || next.nextDue > clock.now()).toBe(true);

    // Approved late (after the cut-off, before the deadline): only the x post.
    const x = held.find((p) => p.channel === 'x')!;
    const [outcome] = await approvePosts(ctx.store, { posts: [{ id: x.id, revision: x.revision }], approver: 'rina', now: minutes(OPENING, 5) });
    expect(outcome!.outcome).toBe('approved');
    await tickAt(scheduler, minutes(OPENING, 5));
    expect(openings().map((r) => `${r.channel} ${r.publishedAt}`)).toEqual(['x 2026-12-04T07:05:00.000Z']);

    // The instagram post was never approved: it expires at its deadline, never sent late.
    await tickAt(scheduler, DEADLINE);
    expect(openings()).toHaveLength(1);
    const expired = alerts.filter((a) => a.kind === 'expired');
    expect(expired.map((a) => a.post?.channelId)).toEqual(['instagram']);
    expect(expired[0]!.message).toMatch(/it was never approved/);
    expect(unapproved()).toHaveLength(2);
  });

  it('an approved post goes out at its due time; changed after approval, it is held again until approved again', async () => {
    await replanInto(ctx.store, load().config, START);
    const scheduler = schedulerOn(ctx.store, 'bot-1');
    await tickAt(scheduler, START);
    const first = await awaiting();
    const approved = await approvePosts(ctx.store, { posts: first.map((p) => ({ id: p.id, revision: p.revision })), approver: 'rina', now: START });
    expect(approved.map((o) => o.outcome)).toEqual(['approved', 'approved']);
    expect(await awaiting()).toEqual([]);

    // After the cut-off the quota is cut: new facts, a new revision of each opening post.
    const calendar = path.join(configDir, 'calendar.yaml');
    fs.writeFileSync(calendar, fs.readFileSync(calendar, 'utf8').replace('quota: { regular: 120, express: 20 }', 'quota: { regular: 90, express: 20 }'));
    const changedAt = minutes(CUTOFF, 60);
    clock.set(changedAt);
    await replanInto(ctx.store, load().config, changedAt);
    const changed = schedulerOn(ctx.store, 'bot-1');
    await tickAt(changed, changedAt);
    const again = await awaiting();
    expect(again.map((p) => `${p.channel} r${p.revision} ${p.rendered}`).sort()).toEqual(['instagram r2 true', 'x r2 true']);
    // Its cut-off is long past: staff hear of it at once.
    expect(unapproved().map((a) => `${a.post?.channelId} r${a.post?.revision}`).sort()).toEqual(['instagram r2', 'x r2']);

    await tickAt(changed, OPENING);
    expect(openings()).toEqual([]);
    await approvePosts(ctx.store, { posts: again.map((p) => ({ id: p.id, revision: p.revision })), approver: 'budi', now: minutes(OPENING, 2) });
    await tickAt(changed, minutes(OPENING, 2));
    expect(openings().map((r) => r.channel).sort()).toEqual(['instagram', 'x']);
    const sent = await listPosts(ctx.store, { states: ['published'], from: OPENING, to: minutes(OPENING, 1) });
    expect(sent.filter((p) => p.ruleId === 'opening').map((p) => p.revision)).toEqual([2, 2]);
  });

  // Several instances share PostgreSQL; SQLite serves one instance (the data-directory
  // lock), so on SQLite this case does not exist and is not defined (not skipped).
  const onPostgres: jest.It = dialect === 'postgres' ? it : ((() => undefined) as unknown as jest.It);
  onPostgres('two instances on one database: neither sends an unapproved post; once approved, it goes out once', async () => {
    await replanInto(ctx.store, load().config, START);
    const other = await ctx.open();
    const one = schedulerOn(ctx.store, 'bot-1');
    const two = schedulerOn(other, 'bot-2');
    await tickAt(one, START);
    const both = async (instant: Date): Promise<void> => {
      clock.set(instant);
      for (let round = 0; round < 20; round += 1) {
        const moved = await Promise.all([one.tick(), two.tick()]);
        if (moved[0] === 0 && moved[1] === 0) return;
      }
    };
    await both(CUTOFF);
    expect(unapproved()).toHaveLength(2);
    await both(OPENING);
    await both(minutes(OPENING, 1));
    expect(openings()).toEqual([]);

    const held = await awaiting();
    await approvePosts(other, { posts: held.map((p) => ({ id: p.id, revision: p.revision })), approver: 'rina', now: minutes(OPENING, 3) });
    await both(minutes(OPENING, 3));
    await both(minutes(OPENING, 4));
    expect(openings().map((r) => r.channel).sort()).toEqual(['instagram', 'x']);
  });
});
