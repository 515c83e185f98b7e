/**
 * `health [--max-age MINUTES]`: the container/monitoring probe. Healthy when the
 * ledger opens (the database is reachable and migrated) and a running bot
 * wrote its heartbeat at most MINUTES ago. `run` writes the heartbeat at every
 * re-plan (at start, then every `settings.replanCron` period, default 10
 * minutes), and a re-plan needs the database, so a stale heartbeat means the
 * bot is stopped, stuck, or cut off from its database.
 *
 * With several instances on one PostgreSQL the heartbeat is the cluster's (the
 * last instance to re-plan wrote it): this proves the deployment plans and its
 * database answers, not that this very process does.
 */
import { INSTANCE_STATUS_KEY, type InstanceStatus } from '../app/bot';
import { openStore } from '../store/open';
import { getRuntimeStatus } from '../store/runtime-status';
import type { CliContext } from './context';
import { write } from './context';

export async function healthCommand(ctx: CliContext, options: { maxAgeMinutes: number }): Promise<number> {
  // A database that cannot be opened throws AppError('store-failed'): main prints it and exits 1.
  const store = await openStore(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : { dataDir: ctx.dataDir });
  try {
    const instance = await getRuntimeStatus<Partial<InstanceStatus>>(store, INSTANCE_STATUS_KEY);
    const beatAt = typeof instance?.heartbeatAt === 'string' ? new Date(instance.heartbeatAt) : null;
    if (!beatAt || Number.isNaN(beatAt.getTime())) {
      write(ctx.stdout, 'unhealthy: no heartbeat recorded: `quota-herald run` has not re-planned into this ledger yet (still starting, or not running)');
      return 1;
    }
    const ageMinutes = (ctx.clock.now().getTime() - beatAt.getTime()) / 60_000;
    const seen = `last heartbeat ${beatAt.toISOString()}, ${Math.max(0, Math.round(ageMinutes))} min ago (pid ${instance?.pid ?? '?'})`;
    if (ageMinutes > options.maxAgeMinutes) {
      write(ctx.stdout, `unhealthy: ${seen}, older than ${options.maxAgeMinutes} min: the bot is stopped or cannot re-plan; its log says why (raise --max-age if settings.replanCron runs less often)`);
      return 1;
    }
    write(ctx.stdout, `ok: ${seen}`);
    return 0;
  } finally {
    await store.close();
  }
}
