/**
 * Ledger speed on SQLite (the embedded default): syncing a plan of 2,000
 * posts must take well under a second, idempotent re-syncs even less.
 * Run: node bin/run-ts.js bench/store.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claimDue } from '../src/store/claims';
import { listToRender, markRendered } from '../src/store/ledger';
import { openStore } from '../src/store/open';
import { syncPlan } from '../src/store/sync-plan';
import { at, buildPosts } from '../test/store/post-builder';

const POSTS = 2000;
const ROUNDS = 7;

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const started = process.hrtime.bigint();
    await work();
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)] ?? 0;
  console.log(`${label.padEnd(48)} median ${median.toFixed(1)} ms  (min ${runs[0]?.toFixed(1)}, max ${runs.at(-1)?.toFixed(1)})`);
}

async function main(): Promise<void> {
  const now = at('2026-11-01T00:00+07:00');
  const window = { from: now, to: at('2027-01-01T00:00+07:00') };
  const plan = buildPosts(POSTS, at('2026-11-02T08:00+07:00'));
  const changed = plan.map((p, i) => (i % 2 === 0 ? { ...p, fingerprint: `fp-${i}` } : p));
  const dirs: string[] = [];
  const fresh = async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-bench-'));
    dirs.push(dir);
    return openStore({ dataDir: dir });
  };

  console.log(`store on SQLite (WAL, synchronous=FULL), ${POSTS} posts, ${ROUNDS} rounds`);
  await timed(`first sync (${POSTS} inserts), fresh ledger`, async () => {
    const store = await fresh();
    await syncPlan(store, plan, window, now);
    await store.close();
  });

  const store = await fresh();
  await syncPlan(store, plan, window, now);
  await timed('re-sync, same plan (idempotent: no writes)', () => syncPlan(store, plan, window, now));
  let flip = false;
  await timed(`re-sync, half the facts changed (${POSTS / 2} supersede+insert)`, () => {
    flip = !flip;
    return syncPlan(store, flip ? changed : plan, window, now);
  });
  await timed('listToRender 50 + markRendered each (durable writes)', async () => {
    for (const post of await listToRender(store, window.to, 50)) await markRendered(store, post, '{}');
  });
  await timed('claimDue limit 20', () => claimDue(store, { now: window.to, owner: 'bench', leaseMs: 60_000, limit: 20 }));
  await store.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
