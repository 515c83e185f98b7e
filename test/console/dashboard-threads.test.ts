/**
 * console/dashboard: a Threads channel's token (60 days, kept in the token
 * vault like Instagram's) shows up as a staff task before it expires.
 */
import { buildDashboard } from '../../src/console/dashboard';
import type { ChannelConfig } from '../../src/config/types';
import { insertChannelToken } from '../../src/store/channel-tokens';
import { useTestStore } from '../support/databases';
import { at, consoleOffice, loadSample } from './offices';

const NOW = at('2026-11-27T13:30+07:00');

/** The sample office with a Threads channel beside its two. */
function sampleWithThreads(): ReturnType<typeof consoleOffice> {
  const office = consoleOffice(loadSample(NOW));
  const [first, ...rest] = office.config.offices;
  const threads: ChannelConfig = { id: 'threads', driver: 'threads', platform: 'threads', accountId: '25123456789012345', credentials: { accessToken: 'THREADS_ACCESS_TOKEN' }, enabled: true, location: { file: 'herald.yaml', line: 30, col: 5 } };
  return { ...office, config: { ...office.config, offices: [{ ...first!, channels: [...first!.channels, threads] }, ...rest] } };
}

describe('console/dashboard: Threads tokens', () => {
  const ctx = useTestStore('sqlite');

  test('a Threads token expiring in 3 days is a task naming the channel and its env variable; expired, an error', async () => {
    await insertChannelToken(ctx.store, 'threads', { tokenSealed: null, source: 'refreshed', envFingerprint: 'e'.repeat(64), obtainedAt: at('2026-10-01T00:00Z'), expiresAt: at('2026-11-30T10:00+07:00') }, { owner: 'bot-1', now: NOW });
    const view = await buildDashboard(ctx.store, sampleWithThreads(), { now: NOW });
    const token = view.needsStaff.find((task) => task.kind === 'token-expiring')!;
    expect(token).toMatchObject({ severity: 'warning', channelId: 'threads' });
    expect(token.title).toBe('Token akun threads kedaluwarsa dalam 3 hari (Sen 30 Nov 10.00 WIB)');
    expect(token.action).toContain('THREADS_ACCESS_TOKEN');

    const afterExpiry = at('2026-11-30T11:00+07:00');
    const expired = await buildDashboard(ctx.store, sampleWithThreads(), { now: afterExpiry });
    expect(expired.needsStaff.find((task) => task.channelId === 'threads')).toMatchObject({ kind: 'token-expired', severity: 'error' });
  });

  test('a Threads token with weeks left is no task', async () => {
    await insertChannelToken(ctx.store, 'threads', { tokenSealed: null, source: 'env', envFingerprint: 'e'.repeat(64), obtainedAt: at('2026-11-20T00:00Z'), expiresAt: at('2027-01-19T00:00Z') }, { owner: 'bot-1', now: NOW });
    const view = await buildDashboard(ctx.store, sampleWithThreads(), { now: NOW });
    expect(view.needsStaff.filter((task) => task.channelId === 'threads')).toEqual([]);
  });
});
