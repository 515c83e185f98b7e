/**
 * The long cluster kill run (issue 8 §3), for a report, not CI:
 *
 *   node bin/run-ts.js scripts/cluster-kill.ts
 *
 * Three `run` instances on a private embedded PostgreSQL, five offices × two
 * channels with openings every two seconds, 20 SIGKILLs, one SIGSTOP past the
 * heartbeat window and one PostgreSQL restart; prints the table (posts,
 * duplicates, missing, late) and how long a dead instance's claims took to move.
 * Environment: CLUSTER_SEED (replay), CLUSTER_OPENINGS (per office, default 40).
 * Exit code 1 when any invariant failed.
 */
import { formatReport, runChaos } from '../test/faults/cluster-kill';
import { createClusterWorld } from '../test/faults/cluster-world';

async function main(): Promise<number> {
  const seed = Number(process.env.CLUSTER_SEED ?? Date.now() % 100_000);
  const perOffice = Number(process.env.CLUSTER_OPENINGS ?? 40);
  const world = await createClusterWorld({ instances: 3, offices: 5, perOffice, spacingMs: 2_000, leadMs: 30_000, deadlineMinutes: 1 });
  try {
    const report = await runChaos(world, { instances: 3, kills: 20, pauseMs: 25_000, postgresDownMs: 5_000, seed }, (line) => console.log(`${new Date().toISOString()} ${line}`));
    console.log(formatReport(report));
    const v = report.verdict;
    const failed = v.duplicates.length + v.missing.length + v.late.length + v.ledgerDisagrees.length + report.unexpectedExits.length > 0;
    if (failed || process.env.CLUSTER_VERBOSE) console.log(report.outputs.join('\n'));
    return failed ? 1 : 0;
  } finally {
    await world.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
