/**
 * `check --online`: asks every configured account's platform who we are and
 * what we may do (never posts), reports token expiry, and proves that the
 * public image address Instagram will fetch from really answers.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Loaded } from '../app/load-all';
import type { AccountReport, ChannelDeps } from '../channels/channel';
import { createChannels } from '../channels/registry';
import type { Problem } from '../errors';
import { createSilentLogger } from '../logger';
import { startMediaServer, type MediaServer } from '../media-server/media-server';
import type { CliContext } from './context';
import { write } from './context';
import { formatStaffTime, localizeInstants } from '../render/helpers/staff-time';
import { deadlineSignal } from '../time/deadline-signal';
import { createTokenVault } from '../app/token-vault';
import type { TokenVault } from '../channels/token-vault';
import { openStore, type Store } from '../store/open';

const VERIFY_TIMEOUT_MS = 20_000;

export async function checkOnline(ctx: CliContext, loaded: Loaded): Promise<Problem[]> {
  const problems: Problem[] = [];
  const now = ctx.clock.now();
  const media = await openMediaProbe(ctx, loaded);
  const tokens = await openTokenVault(ctx, loaded, problems);
  const deps: ChannelDeps = {
    clock: ctx.clock,
    logger: createSilentLogger(),
    outboxDir: ctx.dataDir,
    env: ctx.env,
    fetch,
    ...(tokens ? { tokenVault: tokens.vault } : {}),
    ...(media ? { publicMediaUrl: (file: string) => media.server.publicUrl(file) } : {}),
  };
  try {
    for (const config of loaded.config.offices.flatMap((office) => office.channels)) {
      const subject = `channel ${config.id}`;
      if (!config.enabled) continue;
      if (config.driver === 'outbox') {
        write(ctx.stdout, `${config.id} (outbox): dry run, nothing to verify`);
        continue;
      }
      try {
        const channel = createChannels([config], deps).get(config.id)!;
        if (!channel.verify) continue;
        const report = await withTimeout(channel.verify(now), VERIFY_TIMEOUT_MS, `${config.driver} did not answer within ${VERIFY_TIMEOUT_MS / 1000} s`);
        printReport(ctx, config.driver, report, { now, zone: loaded.config.offices[0]?.timezone ?? 'UTC' });
        problems.push(...report.problems.map((p) => ({ ...p, subject: p.subject ?? subject })));
        await channel.close?.();
      } catch (error) {
        problems.push({ severity: 'error', subject, message: (error as Error).message });
      }
    }
    if (media) problems.push(...(await probeMediaUrl(ctx, media)));
  } finally {
    await media?.close();
    await tokens?.store.close();
  }
  return problems;
}

/**
 * The token the running bot uses is the one in the ledger (app/token-vault.ts):
 * verify that one, and let a due refresh be stored there for every instance.
 * Opened only when an Instagram channel needs it.
 */
/** Drivers whose tokens or sessions change at run time and live in the vault. */
const DRIVERS_WITH_STORED_TOKENS: ReadonlySet<string> = new Set(['instagram', 'threads', 'bluesky']);

async function openTokenVault(ctx: CliContext, loaded: Loaded, problems: Problem[]): Promise<{ store: Store; vault: TokenVault } | null> {
  const wanted = loaded.config.offices.some((office) => office.channels.some((channel) => channel.enabled && DRIVERS_WITH_STORED_TOKENS.has(channel.driver)));
  if (!wanted) return null;
  let store: Store;
  try {
    store = await openStore(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : { dataDir: ctx.dataDir });
  } catch (error) {
    problems.push({ severity: 'warning', subject: 'token store', message: `${(error as Error).message} The Instagram token from .env is checked instead of the stored one.` });
    return null;
  }
  try {
    return { store, vault: createTokenVault({ store, env: ctx.env, dataDir: ctx.dataDir, owner: `check@${process.pid}`, logger: createSilentLogger() }) };
  } catch (error) {
    await store.close();
    throw error;
  }
}

function printReport(ctx: CliContext, driver: string, report: AccountReport, { now, zone }: { now: Date; zone: string }): void {
  write(ctx.stdout, `${report.channelId} (${driver}): ${report.account ?? 'account unknown'}`);
  for (const detail of report.details) write(ctx.stdout, `  ${localizeInstants(detail, zone, now)}`);
  if (report.tokenExpiresAt) {
    const days = Math.floor((report.tokenExpiresAt.getTime() - now.getTime()) / 86_400_000);
    write(ctx.stdout, `  token expires ${formatStaffTime(report.tokenExpiresAt, zone, now)} (in ${days} day(s))`);
  }
}

interface MediaProbe {
  server: MediaServer;
  close(): Promise<void>;
}

/**
 * The URL Instagram would fetch does not depend on the port we listen on, so
 * when the bot itself already serves the configured port we listen elsewhere
 * only to compute URLs, and the running bot answers the probe.
 */
async function openMediaProbe(ctx: CliContext, loaded: Loaded): Promise<MediaProbe | null> {
  const settings = loaded.config.settings.mediaServer;
  if (!settings) return null;
  const options = { rootDir: ctx.dataDir, stateDir: ctx.dataDir, host: settings.host, publicBaseUrl: settings.publicBaseUrl };
  fs.mkdirSync(ctx.dataDir, { recursive: true });
  let server: MediaServer;
  try {
    server = await startMediaServer({ ...options, port: settings.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    server = await startMediaServer({ ...options, port: 0 });
  }
  return { server, close: () => server.close() };
}

async function probeMediaUrl(ctx: CliContext, media: MediaProbe): Promise<Problem[]> {
  const relative = `media/probe/${crypto.randomBytes(8).toString('hex')}.jpg`;
  const file = path.join(ctx.dataDir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The smallest valid JPEG header is enough: this checks the route, not the image.
  const bytes = crypto.randomBytes(64);
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), bytes]));
  const url = media.server.publicUrl(relative);
  try {
    const response = await fetch(url, { signal: deadlineSignal(10_000) });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.ok && body.equals(fs.readFileSync(file))) {
      write(ctx.stdout, `media server: ${new URL(url).origin} serves rendered cards (probe answered ${response.status})`);
      return [];
    }
    return [{ severity: 'error', subject: 'media server', message: `${new URL(url).origin} answered ${response.status} for a probe image: Instagram could not fetch the cards; make settings.mediaServer.publicBaseUrl reach this bot (README, "Connect Instagram")` }];
  } catch (error) {
    return [{ severity: 'error', subject: 'media server', message: `cannot fetch a probe image from ${new URL(url).origin} (${(error as Error).message}): Instagram could not fetch the cards; make settings.mediaServer.publicBaseUrl reach this bot (README, "Connect Instagram")` }];
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
