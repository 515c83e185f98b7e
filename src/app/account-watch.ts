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

export const ACCOUNTS_STATUS_KEY = 'accounts';

export interface StoredAccountReport {
  channelId: string;
  account: string | null;
  details: string[];
  tokenExpiresAt: string | null;
  problems: string[];
  checkedAt: string;
}

export async function verifyAccounts(
  channels: ReadonlyMap<string, Channel>,
  deps: { store: Store; clock: Clock; logger: Logger; alert: (alert: Alert) => void },
): Promise<StoredAccountReport[]> {
  const reports: StoredAccountReport[] = [];
  for (const channel of channels.values()) {
    if (!channel.verify) continue;
    const now = deps.clock.now();
    try {
      const report = await channel.verify(now);
      reports.push({
        channelId: channel.id,
        account: report.account,
        details: report.details,
        tokenExpiresAt: report.tokenExpiresAt?.toISOString() ?? null,
        problems: report.problems.map((p) => formatProblem(p)),
        checkedAt: now.toISOString(),
      });
      for (const problem of report.problems) {
        deps.alert({ kind: problem.severity === 'error' ? 'auth' : 'token-expiry', message: `channel ${channel.id}: ${problem.message}` });
      }
    } catch (error) {
      // The platform may simply be unreachable right now; publishing has its own retries.
      deps.logger.warn({ channel: channel.id, err: error }, 'account check failed');
    }
  }
  await setRuntimeStatus(deps.store, ACCOUNTS_STATUS_KEY, reports);
  return reports;
}
