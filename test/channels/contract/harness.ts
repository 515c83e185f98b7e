/**
 * How a driver joins the channel contract suite (test/channels/contract.test.ts):
 * a file `test/channels/contract/<driver>.harness.ts` exporting `harness`. The
 * suite finds every such file, so adding a driver adds a file and touches no
 * shared list.
 */
import type { Channel } from '../../../src/channels/channel';
import type { createVirtualClock } from '../../../src/clock';

export type ContractClock = ReturnType<typeof createVirtualClock>;

export interface DriverHarness {
  name: string;
  /** Once for the file, before any test (start the fake server). */
  setup?(): Promise<void>;
  /** Once for the file, after every test. */
  teardown?(): Promise<void>;
  /** A fresh channel for one test: reset the fake, follow the test's virtual clock. */
  create(dir: string, clock: ContractClock): Channel;
  /** How many posts the platform (or the outbox file) holds: what the public could see. */
  published(dir: string): number;
  /**
   * false for a platform that cannot be read back (Telegram bots cannot read a
   * channel's history): `readBack` must then throw, never answer `[]`, or the
   * reconciler would take "not found" for "not sent" and send again.
   */
  readsBack?: boolean;
  /**
   * true for a channel whose receiver de-duplicates a resend of the same post
   * revision (the webhook: receivers MUST de-duplicate by webhook-id). Its
   * readBack answers [] on purpose: the reconciler then sends an unclear post
   * again, which is harmless. The suite checks the de-duplication instead.
   */
  deduplicatesResends?: boolean;
}
