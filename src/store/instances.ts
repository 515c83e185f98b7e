/**
 * Instances and heartbeats: several bots on one PostgreSQL each renew a
 * heartbeat every few seconds, and with it the leases of the claims they hold
 * (an attempt in flight never runs out of lease while its holder lives). A
 * holder whose heartbeat is stale is dead (SIGKILL, a lost machine) or frozen
 * (SIGSTOP): a live instance releases its claims within seconds, by the rules
 * of `releaseAllLeases`, instead of waiting for the lease to run out.
 */
import type { Store } from './open';
import { releaseLeasesOfOwners } from './claims';
import { inWriteTransaction } from './transaction';
import type { LedgerPost } from './types';

export interface InstanceInfo {
  id: string;
  pid: number;
  host: string;
}

/** Adds (or refreshes) this instance's row. */
export async function registerInstance(store: Store, instance: InstanceInfo, now: Date): Promise<void> {
  const at = now.getTime();
  await store.db
    .insertInto('instances')
    .values({ id: instance.id, pid: instance.pid, host: instance.host, started_at: at, heartbeat_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: at }))
    .execute();
}

/**
 * Renews this instance's heartbeat and the leases of the posts it holds
 * (`claimed` by it) to `now + leaseMs`. Returns how many leases it renewed.
 * A row removed by another instance (it thought us dead) is put back: our
 * released claims are already gone, but we are alive and may take new ones.
 */
export async function beat(store: Store, instance: InstanceInfo, now: Date, leaseMs: number): Promise<number> {
  const at = now.getTime();
  return inWriteTransaction(store, async (trx) => {
    await trx
      .insertInto('instances')
      .values({ id: instance.id, pid: instance.pid, host: instance.host, started_at: at, heartbeat_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: at }))
      .execute();
    const renewed = await trx
      .updateTable('posts')
      .set({ lease_until: at + leaseMs })
      .where('state', '=', 'claimed')
      .where('lease_owner', '=', instance.id)
      .executeTakeFirst();
    return Number(renewed.numUpdatedRows);
  });
}

/** What `releaseDeadInstances` did. */
export interface DeadInstance {
  id: string;
  /** How long its heartbeat had been silent when it was judged dead. */
  silentMs: number;
  /** Its claims that went `unknown` (an attempt that may have sent): reconciled by read-back. */
  unknown: LedgerPost[];
  /** Its claims whose attempt had sent nothing: due again at once. */
  retried: number;
}

/**
 * Instances other than `self` whose heartbeat is older than `staleMs` are
 * removed and their claims released (one transaction, so two live instances
 * never both release the same one). Returns what moved, for logs.
 */
export async function releaseDeadInstances(store: Store, self: string, now: Date, staleMs: number): Promise<DeadInstance[]> {
  const at = now.getTime();
  return inWriteTransaction(store, async (trx) => {
    const dead = await trx
      .deleteFrom('instances')
      .where('heartbeat_at', '<', at - staleMs)
      .where('id', '<>', self)
      .returning(['id', 'heartbeat_at'])
      .execute();
    const released: DeadInstance[] = [];
    for (const instance of dead) {
      const held = await trx.selectFrom('posts').select('id').where('state', '=', 'claimed').where('lease_owner', '=', instance.id).execute();
      const unknown = await releaseLeasesOfOwners(trx, [instance.id], now);
      released.push({ id: instance.id, silentMs: at - Number(instance.heartbeat_at), unknown, retried: held.length - unknown.length });
    }
    return released;
  });
}

/** One instance's row, as `health` reads it. */
export interface InstanceRow extends InstanceInfo {
  startedAt: Date;
  heartbeatAt: Date;
}

/** Every registered instance, freshest heartbeat first. */
export async function listInstances(store: Store): Promise<InstanceRow[]> {
  const rows = await store.db.selectFrom('instances').select(['id', 'pid', 'host', 'started_at', 'heartbeat_at']).orderBy('heartbeat_at', 'desc').execute();
  return rows.map((row) => ({ id: row.id, pid: Number(row.pid), host: row.host, startedAt: new Date(Number(row.started_at)), heartbeatAt: new Date(Number(row.heartbeat_at)) }));
}

/** Removes this instance's row at a clean stop. */
export async function unregisterInstance(store: Store, id: string): Promise<void> {
  await store.db.deleteFrom('instances').where('id', '=', id).execute();
}
