/**
 * The heartbeat across a database outage, on the real embedded PostgreSQL
 * behind a TCP proxy: after an outage every instance's last beat is old, and
 * the first instance back must not take the others (cut off just like it) for
 * dead. It judges them only once it has itself been connected for a whole
 * stale window; a peer that really died is still released after that.
 */
import type { Clock } from '../../src/clock';
import { HEARTBEAT_MS, runHeartbeat, STALE_AFTER_MS } from '../../src/app/instance-heartbeat';
import { beat, registerInstance } from '../../src/store/instances';
import { openStore, type Store } from '../../src/store/open';
import { captureLogs } from '../alerts/support';
import { createTestDatabase } from '../support/databases';
import { hostAndPort, startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const START = new Date('2026-12-04T07:00:00Z');
const A = { id: 'a', pid: 1, host: 'one' };
const B = { id: 'b', pid: 2, host: 'two' };
const LEASE_MS = 120_000;

describe('app/instance-heartbeat on postgres', () => {
  let proxy: TcpProxy;
  let direct: Store;
  let viaProxy: Store;

  beforeEach(async () => {
    const database = await createTestDatabase('postgres');
    direct = await database.open();
    proxy = await startTcpProxy(hostAndPort(database.databaseUrl!));
    viaProxy = await openStore({ databaseUrl: proxy.urlFor(database.databaseUrl!) });
  });

  afterEach(async () => {
    await proxy.up();
    await viaProxy.close();
    await direct.close();
    await proxy.close();
  });

  /**
   * Runs A's heartbeat on a virtual clock, one beat per step; before each beat,
   * `script(step, now)` may cut the proxy, bring it back or let B beat.
   */
  async function runA(steps: number, script: (step: number, now: Date) => Promise<void>): Promise<string[]> {
    const logs = captureLogs();
    const stop = new AbortController();
    let now = START.getTime();
    let step = 0;
    const clock: Clock = {
      now: () => new Date(now),
      sleep: async (ms) => {
        now += ms;
        step += 1;
        if (step >= steps) return stop.abort();
        await script(step, new Date(now));
      },
    };
    await runHeartbeat({ store: viaProxy, clock, logger: logs.logger, instance: A, leaseMs: LEASE_MS, signal: stop.signal, onReleased: () => undefined });
    return logs.lines;
  }

  const instanceIds = async (): Promise<string[]> => (await direct.db.selectFrom('instances').select('id').orderBy('id').execute()).map((row) => row.id);

  it('after an outage longer than the stale window, the first instance back does not release a peer that beats again', async () => {
    await registerInstance(direct, B, START);
    const outage = { from: 3, to: 3 + Math.ceil((STALE_AFTER_MS * 2) / HEARTBEAT_MS) };
    const logs = await runA(outage.to + 8, async (step, now) => {
      if (step === outage.from) await proxy.down();
      if (step === outage.to) await proxy.up();
      // B is cut off during the outage like A; it beats before and after, one step behind A.
      if (step < outage.from || step > outage.to) await beat(direct, B, now, LEASE_MS);
    });
    expect(await instanceIds()).toEqual(['a', 'b']);
    expect(logs.join('')).not.toContain('stopped heart-beating');
  });

  it('a peer that really died is still released, once this instance has been connected for a stale window', async () => {
    await registerInstance(direct, B, START);
    const outage = { from: 2, to: 5 };
    const logs = await runA(outage.to + Math.ceil(STALE_AFTER_MS / HEARTBEAT_MS) + 3, async (step) => {
      if (step === outage.from) await proxy.down();
      if (step === outage.to) await proxy.up();
    });
    expect(await instanceIds()).toEqual(['a']);
    expect(logs.join('')).toContain('instance b stopped heart-beating');
  });
});
