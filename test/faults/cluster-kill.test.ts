/**
 * The cluster kill test (issue 8 §3), short enough for CI: three `run`
 * processes on one PostgreSQL, two offices × two channels with 12 openings
 * each, every two seconds (~24 s), and during them: 8 random SIGKILLs (each
 * instance restarted, one always running), one instance paused with SIGSTOP
 * for 10 s (past the 7 s heartbeat window: the others take its claims over),
 * and one PostgreSQL restart (3 s down). Afterwards: no post twice, none missing, none late, the
 * ledger equal to the platforms, the periodic re-plan run once per period
 * across the cluster, and no instance exited by itself. Replay a
 * failure with CLUSTER_SEED=<the printed seed>. The long run is
 * scripts/cluster-kill.ts.
 */
import { formatReport, runChaos } from './cluster-kill';
import { createClusterWorld, type ClusterWorld } from './cluster-world';

describe('faults: a cluster of three instances under SIGKILL, SIGSTOP and a PostgreSQL restart', () => {
  let world: ClusterWorld | undefined;
  afterAll(async () => world?.close());

  it('publishes every post once, before its deadline, and the ledger agrees with the platforms', async () => {
    const seed = Number(process.env.CLUSTER_SEED ?? Date.now() % 100_000);
    world = await createClusterWorld({ instances: 3, offices: 2, perOffice: 12, spacingMs: 2_000, leadMs: 22_000, deadlineMinutes: 1 });
    // The pause outlasts the 7 s after which the others release the stopped instance's claims.
    const report = await runChaos(world, { instances: 3, kills: 8, pauseMs: 10_000, postgresDownMs: 3_000, seed });
    console.log(`cluster kill test:\n${formatReport(report)}`);
    if (report.verdict.missing.length + report.verdict.duplicates.length + report.unexpectedExits.length > 0) console.log(report.outputs.join('\n'));

    expect(report.verdict).toMatchObject({ duplicates: [], missing: [], late: [], ledgerDisagrees: [] });
    expect(report.verdict.expected).toBe(world.openings.length * 2);
    expect(report.unexpectedExits).toEqual([]);
    expect(report.finalExitCodes).toEqual([0, 0, 0]);
    expect(report).toMatchObject({ kills: 8, pauses: 1, postgresRestarts: 1 });
    // Periodic work ran once per period for the cluster, and moved on when its holder died.
    expect(report.periodic).toMatchObject({ twice: [], missed: [] });
    // A re-plan every 5 s: the ~35 s between all running and the stop hold five to seven whole
    // periods, of which the PostgreSQL restart and the kills excuse two or three; each of the
    // others must have run once (`missed` above). At least three ran: the check saw periods at all.
    expect(report.periodic.ran).toBeGreaterThanOrEqual(3);
    // The balancer really spread the card fetches: cards rendered by one instance were served by others.
    expect(Object.keys(report.mediaAnsweredBy).length).toBeGreaterThan(1);
  }, 240_000);
});
