/**
 * The chaos of the cluster kill test, shared by the CI test and the long
 * script: while the openings fall due, SIGKILL random instances (each
 * restarted after a short random pause; at least one instance always runs),
 * pause one with SIGSTOP past the heartbeat window and SIGCONT it, restart
 * PostgreSQL. Then wait for the ledger to settle, stop everything and judge.
 */
import { exitOf, sleep, waitFor } from '../support/process';
import { judgeCluster, REPLAN_EVERY_S, type ClusterVerdict, type ClusterWorld, type Instance } from './cluster-world';

export interface ChaosPlan {
  instances: number;
  kills: number;
  /** How long the paused instance stays stopped (past the 7 s after which others release its claims). */
  pauseMs: number;
  /** How long PostgreSQL stays down; 0: no restart. */
  postgresDownMs: number;
  seed: number;
}

export interface ClaimMove {
  /** SIGKILL or SIGSTOP. */
  cause: string;
  postId: string;
  /** ms from the kill (or stop) to a live instance releasing the claim. */
  releasedAfterMs: number | null;
  /** ms from the kill (or stop) to the post's next attempt by another instance (none if read back as published). */
  reclaimedAfterMs: number | null;
}

export interface ChaosReport {
  seed: number;
  kills: number;
  pauses: number;
  postgresRestarts: number;
  verdict: ClusterVerdict;
  /** Instances that exited without being killed or stopped by us (e.g. on a lost database). */
  unexpectedExits: string[];
  /** Exit codes after the final SIGTERM. */
  finalExitCodes: (number | null)[];
  moves: ClaimMove[];
  /** Rows of job_runs per job, and how many were never finished. */
  jobRuns: { job: string; runs: number; unfinished: number }[];
  /** The periodic re-plan as the instances logged it: the period keys run twice, and the periods nobody ran. */
  periodic: PeriodicJudgement;
  mediaAnsweredBy: Record<string, number>;
  wallMs: number;
  outputs: string[];
}

/** Park–Miller: the same seed gives the same kill moments and victims. */
export function seededRandom(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

export async function runChaos(world: ClusterWorld, plan: ChaosPlan, log: (line: string) => void = () => undefined): Promise<ChaosReport> {
  const started = Date.now();
  const random = seededRandom(plan.seed);
  const instances: Instance[] = [];
  const all: Instance[] = [];
  const expectedExit = new Set<Instance>();
  const paused = new Set<number>();
  const events: { cause: string; pid: number; at: number }[] = [];
  const unexpectedExits: string[] = [];

  const launch = (index: number): void => {
    const child = world.start(index);
    instances[index] = child;
    all.push(child);
    child.once('exit', (code, signal) => {
      if (!expectedExit.has(child)) unexpectedExits.push(`instance ${index} (pid ${child.pid}) exited by itself: code ${code} signal ${signal}\n${child.output().stderr.slice(-2_000)}`);
    });
  };
  for (let i = 0; i < plan.instances; i++) launch(i);
  await Promise.all(instances.map((child, i) => waitFor(() => child.output().stderr.includes('quota-herald running') || child.exitCode !== null, 90_000, () => `instance ${i} to start:\n${child.output().stderr.slice(-3_000)}`)));
  log(`cluster: ${plan.instances} instances running after ${Date.now() - started} ms`);
  const allRunningAt = Date.now();

  const firstOpening = Math.min(...world.openings.map((o) => o.opensAt.getTime()));
  const lastOpening = Math.max(...world.openings.map((o) => o.opensAt.getTime()));
  const window = lastOpening - firstOpening;
  const untilOpening = (fraction: number): Promise<void> => sleep(Math.max(0, firstOpening + window * fraction - Date.now()));
  const alive = (): number[] => instances.map((_, i) => i).filter((i) => !paused.has(i));

  const killLoop = async (): Promise<void> => {
    await untilOpening(0);
    const gap = window / plan.kills;
    for (let kill = 0; kill < plan.kills; kill++) {
      await sleep(gap * (0.4 + random() * 0.6));
      // One at a time and restarted before the next: with one paused, one still runs.
      const candidates = alive();
      if (candidates.length < 2) continue;
      const index = candidates[Math.floor(random() * candidates.length)]!;
      const victim = instances[index]!;
      expectedExit.add(victim);
      events.push({ cause: 'SIGKILL', pid: victim.pid!, at: Date.now() });
      victim.kill('SIGKILL');
      await exitOf(victim);
      await sleep(random() * 1_500);
      launch(index);
      log(`kill ${kill + 1}/${plan.kills}: instance ${index} (pid ${victim.pid}) killed and restarted`);
    }
  };
  const pauseOnce = async (): Promise<void> => {
    if (plan.pauseMs <= 0) return;
    await untilOpening(0.2);
    const index = alive()[Math.floor(random() * alive().length)]!;
    const child = instances[index]!;
    paused.add(index);
    events.push({ cause: 'SIGSTOP', pid: child.pid!, at: Date.now() });
    child.kill('SIGSTOP');
    log(`instance ${index} (pid ${child.pid}) paused for ${plan.pauseMs} ms`);
    await sleep(plan.pauseMs);
    child.kill('SIGCONT');
    paused.delete(index);
    log(`instance ${index} (pid ${child.pid}) continued`);
  };
  let postgresRestarts = 0;
  const postgresDown = { from: 0, to: 0 };
  const restartPostgres = async (): Promise<void> => {
    if (plan.postgresDownMs <= 0) return;
    await untilOpening(0.55);
    log(`PostgreSQL stopping for ${plan.postgresDownMs} ms`);
    postgresDown.from = Date.now();
    await world.restartPostgres(plan.postgresDownMs);
    postgresDown.to = Date.now();
    postgresRestarts += 1;
    log('PostgreSQL back');
  };
  await Promise.all([killLoop(), pauseOnce(), restartPostgres()]);

  // Every post published or expired, or (at the latest) every deadline passed.
  const lastDeadline = Math.max(...world.openings.map((o) => o.deadline.getTime()));
  while (Date.now() < lastDeadline + 5_000) {
    if (Date.now() > lastOpening && (await world.settled().catch(() => false))) break;
    await sleep(1_000);
  }
  // An instance relaunched just before the end may still be loading its modules, before
  // its SIGTERM handler exists (on a busy machine, seconds): stop only instances that run.
  await Promise.all(instances.map((child, i) => waitFor(() => child.output().stderr.includes('quota-herald running') || child.exitCode !== null, 90_000, () => `instance ${i} to start before the stop:\n${child.output().stderr.slice(-3_000)}`)));
  const stoppingAt = Date.now();
  for (const child of instances) expectedExit.add(child);
  for (const child of instances) child.kill('SIGTERM');
  const finalExitCodes = await Promise.all(instances.map((child) => exitOf(child)));

  const verdict = await judgeCluster(world, () => false);
  const moves = await claimMoves(world, events);
  const periodic = judgePeriodic(all, { from: allRunningAt, to: stoppingAt, postgresDown, events });
  const jobRuns = (await world.query<{ job: string; runs: string; unfinished: string }>('SELECT job, count(*) AS runs, count(*) FILTER (WHERE finished_at IS NULL) AS unfinished FROM job_runs GROUP BY job ORDER BY job')).map((r) => ({ job: r.job, runs: Number(r.runs), unfinished: Number(r.unfinished) }));
  return {
    seed: plan.seed,
    kills: events.filter((e) => e.cause === 'SIGKILL').length,
    pauses: events.filter((e) => e.cause === 'SIGSTOP').length,
    postgresRestarts,
    verdict,
    unexpectedExits,
    finalExitCodes,
    moves,
    jobRuns,
    periodic,
    mediaAnsweredBy: Object.fromEntries([...world.media.answeredBy].map(([port, n]) => [`:${port}`, n])),
    wallMs: Date.now() - started,
    outputs: all.map((child, i) => `--- process ${i} (pid ${child.pid}) ---\n${child.output().stderr.slice(-4_000)}`),
  };
}

export interface PeriodicJudgement {
  /** Periods of the run in which some instance ran the re-plan. */
  ran: number;
  /** Periods two instances ran, neither taking over from a dead holder. */
  twice: string[];
  /** Periods no instance ran, though the database was up and an instance alive. */
  missed: string[];
  /** Periods not run that are excused: PostgreSQL was down, or the holder was killed or stopped in it. */
  excused: number;
}

/**
 * Each period of the periodic re-plan ran once across the cluster: from the
 * instances' own log lines ("periodic re-plan: this instance runs it", with the
 * period key). A second run of a period is allowed only when the first holder
 * was killed or stopped within the period (a take-over); a period nobody ran is
 * allowed only around the PostgreSQL restart or such a death. The first and the
 * last period of the run are left out (instances start and stop inside them).
 */
function judgePeriodic(
  children: Instance[],
  run: { from: number; to: number; postgresDown: { from: number; to: number }; events: { cause: string; pid: number; at: number }[] },
): PeriodicJudgement {
  const periodMs = REPLAN_EVERY_S * 1000;
  const runners = new Map<number, number[]>();
  for (const child of children) {
    for (const line of child.output().stderr.split('\n')) {
      if (!line.includes('periodic re-plan: this instance runs it')) continue;
      const period = Date.parse((JSON.parse(line) as { period: string }).period);
      runners.set(period, [...(runners.get(period) ?? []), child.pid!]);
    }
  }
  // Within a period (and the next, for a slow re-plan) a holder's death excuses a take-over or a gap.
  const holderDied = (period: number): boolean => run.events.some((e) => e.at >= period - periodMs && e.at <= period + 2 * periodMs);
  // Down, then reconnecting with backoff: a few periods after the restart are excused too.
  const databaseDown = (period: number): boolean => run.postgresDown.to > 0 && period >= run.postgresDown.from - periodMs && period <= run.postgresDown.to + 3 * periodMs;
  const judgement: PeriodicJudgement = { ran: 0, twice: [], missed: [], excused: 0 };
  const first = Math.ceil(run.from / periodMs) * periodMs + periodMs;
  for (let period = first; period < run.to - periodMs; period += periodMs) {
    const pids = runners.get(period) ?? [];
    const key = new Date(period).toISOString();
    if (pids.length > 0) judgement.ran += 1;
    if (pids.length > 1 && !holderDied(period)) judgement.twice.push(`${key} by pids ${pids.join(', ')}`);
    if (pids.length === 0) {
      if (databaseDown(period) || holderDied(period)) judgement.excused += 1;
      else judgement.missed.push(key);
    }
  }
  return judgement;
}

interface AttemptRow {
  post_id: string;
  attempt: number;
  owner: string;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
}

/**
 * For each attempt in flight when its instance was killed (or stopped): how
 * long until a live instance released the claim (the attempt's finish, written
 * by the releaser), and until another instance started the post's next attempt.
 */
async function claimMoves(world: ClusterWorld, events: { cause: string; pid: number; at: number }[]): Promise<ClaimMove[]> {
  const rows = await world.query<AttemptRow>('SELECT post_id, attempt, owner, started_at, finished_at, outcome FROM attempts ORDER BY post_id, revision, attempt');
  const moves: ClaimMove[] = [];
  for (const event of events) {
    const held = rows.filter((r) => r.owner.startsWith(`${event.pid}@`) && Number(r.started_at) <= event.at && (r.finished_at === null || Number(r.finished_at) > event.at));
    for (const attempt of held) {
      const released = attempt.finished_at !== null && (attempt.outcome === 'unknown' || attempt.outcome === 'interrupted') ? Number(attempt.finished_at) - event.at : null;
      const next = rows.find((r) => r.post_id === attempt.post_id && Number(r.started_at) >= event.at && !r.owner.startsWith(`${event.pid}@`));
      moves.push({ cause: event.cause, postId: attempt.post_id, releasedAfterMs: released, reclaimedAfterMs: next ? Number(next.started_at) - event.at : null });
    }
  }
  return moves;
}

/** The printed table: posts, duplicates, missing, late, and how long claims took to move. */
export function formatReport(report: ChaosReport): string {
  const v = report.verdict;
  const figures = (values: number[]): string => {
    if (values.length === 0) return 'none';
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number): string => `${(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1000).toFixed(1)} s`;
    return `n=${sorted.length} min ${at(0)} median ${at(0.5)} max ${at(1)}`;
  };
  const moved = (cause: string, pick: (m: ClaimMove) => number | null): string => figures(report.moves.filter((m) => m.cause === cause).map(pick).filter((n): n is number => n !== null));
  return [
    `seed ${report.seed}: ${report.kills} SIGKILL, ${report.pauses} SIGSTOP, ${report.postgresRestarts} PostgreSQL restart, ${(report.wallMs / 1000).toFixed(0)} s`,
    `| posts expected | published | duplicates | missing | late | ledger ≠ platforms | unexpected exits |`,
    `|---|---|---|---|---|---|---|`,
    `| ${v.expected} | ${v.published} | ${v.duplicates.length} | ${v.missing.length} | ${v.late.length} | ${v.ledgerDisagrees.length} | ${report.unexpectedExits.length} |`,
    `ledger states: ${JSON.stringify(v.states)}`,
    `claims of a SIGKILLed instance released after: ${moved('SIGKILL', (m) => m.releasedAfterMs)}; next attempt by another instance after: ${moved('SIGKILL', (m) => m.reclaimedAfterMs)}`,
    `claims of the SIGSTOPped instance released after: ${moved('SIGSTOP', (m) => m.releasedAfterMs)}; next attempt by another instance after: ${moved('SIGSTOP', (m) => m.reclaimedAfterMs)}`,
    `periodic re-plan every ${REPLAN_EVERY_S} s: ${report.periodic.ran} periods run, ${report.periodic.twice.length} run twice, ${report.periodic.missed.length} missed (${report.periodic.excused} during the PostgreSQL restart or a holder's death)`,
    `job runs: ${report.jobRuns.map((j) => `${j.job} ${j.runs} (${j.unfinished} unfinished)`).join(', ') || 'none'}`,
    `media requests answered by: ${JSON.stringify(report.mediaAnsweredBy)}`,
    ...(v.whyMissing.length > 0 ? ['missing:', ...v.whyMissing] : []),
    ...(v.duplicates.length > 0 ? ['duplicates:', ...v.duplicates] : []),
    ...(v.late.length > 0 ? ['late:', ...v.late] : []),
    ...(v.ledgerDisagrees.length > 0 ? ['ledger ≠ platforms:', ...v.ledgerDisagrees] : []),
    ...report.unexpectedExits,
  ].join('\n');
}
