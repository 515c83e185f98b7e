/**
 * Verifies every account now and then (token expiry, refused credentials) and
 * keeps the reports where `status` finds them; anything wrong becomes an alert
 * that says what to do. Verification never posts.
 */
import type { Channel } from '../channels/channel';
import type { Clock } from '../clock';
import { formatProblem } from '../errors';
import type { Logger } from '../logger';
import type { Alert } from '../schedule/alerts';
import type { Store } from '../store/open';
import { setRuntimeStatus } from '../store/runtime-status';
import { deadlineSignal, isDeadlineReason } from '../time/deadline-signal';

export const ACCOUNTS_STATUS_KEY = 'accounts';

export interface StoredAccountReport {
  channelId: string;
  account: string | null;
  details: string[];
  tokenExpiresAt: string | null;
  problems: string[];
  checkedAt: string;
}

/** One channel's whole check (a token refresh and several reads) gives up after this long. */
export const ACCOUNT_CHECK_TIMEOUT_MS = 120_000;

export async function verifyAccounts(
  channels: ReadonlyMap<string, Channel>,
  deps: { store: Store; clock: Clock; logger: Logger; alert: (alert: Alert) => void; signal?: AbortSignal; timeoutMs?: number },
): Promise<StoredAccountReport[]> {
  const reports: StoredAccountReport[] = [];
  const timeoutMs = deps.timeoutMs ?? ACCOUNT_CHECK_TIMEOUT_MS;
  for (const channel of channels.values()) {
    if (!channel.verify || deps.signal?.aborted) continue;
    const now = deps.clock.now();
    try {
      const report = await withTimeout((signal) => channel.verify!(now, signal), timeoutMs, deps.signal, `the account check of channel ${channel.id} got no answer within ${seconds(timeoutMs)}`);
      reports.push({
        channelId: channel.id,
        account: report.account,
        details: report.details,
        tokenExpiresAt: report.tokenExpiresAt?.toISOString() ?? null,
        problems: report.problems.map((p) => formatProblem(p)),
        checkedAt: now.toISOString(),
      });
      for (const problem of report.problems) {
        deps.alert({ kind: problem.severity === 'error' ? 'auth' : 'token-expiry', channelId: channel.id, message: `channel ${channel.id}: ${problem.message}` });
      }
    } catch (error) {
      // The platform may simply be unreachable right now; publishing has its own retries.
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.warn({ channel: channel.id, err: error }, 'account check failed');
      reports.push({ channelId: channel.id, account: null, details: [], tokenExpiresAt: null, problems: [`account check failed: ${message}`], checkedAt: now.toISOString() });
    }
  }
  await setRuntimeStatus(deps.store, ACCOUNTS_STATUS_KEY, reports);
  return reports;
}

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/**
 * Runs `call` with a signal that aborts after `ms` (or when `outer` aborts),
 * and rejects with a TimeoutError at that moment even if `call` ignores its
 * signal: a driver that never settles cannot hold the caller.
 */
export async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, ms: number, outer: AbortSignal | undefined, message: string): Promise<T> {
  const signal = deadlineSignal(ms, outer);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new TimeoutError(isDeadlineReason(signal.reason) && !outer?.aborted ? message : 'stopped before the answer came'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call(signal), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
