/**
 * `health [--max-age MINUTES] [--any]`: the container/monitoring probe. It asks
 * whether the `run` of this machine is alive — not whether some instance of
 * the deployment re-planned lately — so an idle bot is healthy, and one
 * instance of several that froze or lost its database is not.
 *
 * - SQLite (one `run` per data directory): the run's schedule loop marks the
 *   data directory's lock file alive about once a minute (its mtime). Healthy
 *   when the lock's holder exists and its mark is at most MINUTES old.
 * - PostgreSQL: every instance renews its row in `instances` every 2 s.
 *   Healthy when an instance on this host (`os.hostname()`: in a container,
 *   the container) beat at most MINUTES ago; with `--any`, any instance.
 *   Instances judge one another dead after ~16 s without a beat and remove
 *   the row, so a frozen instance soon has no row at all.
 */
import os from 'node:os';
import path from 'node:path';
import { listInstances, type InstanceRow } from '../store/instances';
import { readDataDirLock } from '../store/lock';
import { openStore } from '../store/open';
import type { CliContext } from './context';
import { write } from './context';

export interface HealthOptions {
  maxAgeMinutes: number;
  /** PostgreSQL: any instance of the deployment will do, not only this host's. */
  any?: boolean;
}

export async function healthCommand(ctx: CliContext, options: HealthOptions): Promise<number> {
  const verdict = ctx.databaseUrl ? await postgresHealth(ctx, options) : sqliteHealth(ctx, options);
  write(ctx.stdout, verdict.line);
  return verdict.ok ? 0 : 1;
}

interface Verdict {
  ok: boolean;
  line: string;
}

function sqliteHealth(ctx: CliContext, options: HealthOptions): Verdict {
  const dataDir = path.resolve(ctx.cwd, ctx.dataDir);
  const lock = readDataDirLock(dataDir);
  if (!lock) {
    return { ok: false, line: `unhealthy: no \`quota-herald run\` holds the data directory ${dataDir}: it is not started, still starting, or stopped` };
  }
  const who = `\`quota-herald ${lock.command}\` (pid ${lock.pid}) on ${dataDir}`;
  if (!lock.running) {
    return { ok: false, line: `unhealthy: ${who} is gone without releasing its lock (killed, or crashed): its log says why; the next \`run\` takes the lock over` };
  }
  const seen = `last alive ${lock.aliveAt.toISOString()}, ${age(ctx.clock.now(), lock.aliveAt)} ago`;
  if (isStale(ctx.clock.now(), lock.aliveAt, options.maxAgeMinutes)) {
    return { ok: false, line: `unhealthy: ${who} is running but ${seen}, more than ${options.maxAgeMinutes} min: its schedule loop is stuck or the process is frozen; its log says why` };
  }
  return { ok: true, line: `ok: ${who}, ${seen}` };
}

async function postgresHealth(ctx: CliContext, options: HealthOptions): Promise<Verdict> {
  // A database that cannot be opened throws AppError('store-failed'): main prints it and exits 1.
  const store = await openStore({ databaseUrl: ctx.databaseUrl! });
  let rows: InstanceRow[];
  try {
    rows = await listInstances(store);
  } finally {
    await store.close();
  }
  const now = ctx.clock.now();
  const host = os.hostname();
  const candidates = options.any ? rows : rows.filter((row) => row.host === host);
  const where = options.any ? 'the deployment' : `this host (${host})`;
  const elsewhere = rows.filter((row) => !candidates.includes(row));
  const others = elsewhere.length > 0 ? `; instances elsewhere: ${elsewhere.map((row) => describe(row, now)).join(', ')}` : '; no other instance has a heartbeat either';
  const freshest = candidates[0];
  if (!freshest) {
    return {
      ok: false,
      line: `unhealthy: no instance of ${where} has a heartbeat in ${store.label}: \`quota-herald run\` is not running ${options.any ? 'anywhere' : 'here'}, still starting, or was judged dead by the other instances (no beat for ~16 s: frozen, or cut off from the database)${others}`,
    };
  }
  if (isStale(now, freshest.heartbeatAt, options.maxAgeMinutes)) {
    return { ok: false, line: `unhealthy: the freshest instance of ${where} is ${describe(freshest, now)}, more than ${options.maxAgeMinutes} min: it is frozen or cut off from the database; its log says why` };
  }
  const more = candidates.length > 1 ? ` (${candidates.length} instances of ${where})` : '';
  return { ok: true, line: `ok: instance ${describe(freshest, now)}${more}` };
}

function describe(row: InstanceRow, now: Date): string {
  return `${row.id} (pid ${row.pid} on ${row.host}), last heartbeat ${row.heartbeatAt.toISOString()}, ${age(now, row.heartbeatAt)} ago`;
}

function isStale(now: Date, at: Date, maxAgeMinutes: number): boolean {
  return now.getTime() - at.getTime() > maxAgeMinutes * 60_000;
}

/** `40 s` or `12 min`, never negative (clocks of two machines differ a little). */
function age(now: Date, at: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
