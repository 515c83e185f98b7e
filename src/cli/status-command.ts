/** `status [--json]`: what the ledger knows — upcoming, recent, failures, config errors. */
import type { StoredContent } from '../app/bot';
import { readStatusSnapshot } from '../app/status-snapshot';
import { shortHash } from '../app/config-content';
import { loadConfig } from '../config/load';
import { hasConfigFiles, isManyOffices, listOfficeIds, loadOfficeConfigs } from '../config/load-offices';
import { checkOfficeOption } from './offices';
import { revisionZone } from '../app/revision-files';
import { AppError, formatProblem } from '../errors';
import { getCurrentRevision, listCurrentIds } from '../store/config-revisions';
import type { Store } from '../store/open';
import { isValidTimeZone } from '../time/zone';
import { openStore } from '../store/open';
import type { LedgerPost } from '../store/types';
import type { CliContext } from './context';
import { write } from './context';
import { localizeInstants } from '../render/helpers/staff-time';
import { localStamp, table } from './format';

/** Config files listed in the text output (templates add dozens). */
const SHOWN_FILES = 8;

/** Problems listed under the note when the config cannot be read. */
const SHOWN_PROBLEMS = 3;

/**
 * The zone status shows times in: the config's office zone; when the config
 * cannot be read (a bad edit, the very thing staff run `status` about), the
 * zone the running bot recorded; else UTC. Either fallback says so first, with
 * the config's problems as FILE:LINE:COL.
 */
function readingZone(ctx: CliContext, instance: unknown): { zone: string; note: string[] } {
  const { config, problems } = loadConfig(ctx.configDir, ctx.templatesDir ? { templatesDir: ctx.templatesDir } : undefined);
  if (config) return { zone: config.offices[0]?.timezone ?? 'UTC', note: [] };
  const errors = problems.filter((p) => p.severity === 'error');
  const shown = (errors.length > 0 ? errors : problems).slice(0, SHOWN_PROBLEMS).map((p) => `  ${formatProblem(p, ctx.cwd)}`);
  const more = errors.length > SHOWN_PROBLEMS ? [`  … and ${errors.length - SHOWN_PROBLEMS} more`] : [];
  const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
  const recorded = (instance as { zone?: unknown } | null)?.zone;
  if (typeof recorded === 'string' && isValidTimeZone(recorded)) {
    return { zone: recorded, note: [`times in ${recorded}, the zone the running bot recorded: the config could not be read (${count}); \`quota-herald check\` lists every problem:`, ...shown, ...more] };
  }
  return {
    zone: 'UTC',
    note: [`times are UTC: the config could not be read (${count}), so the office zone is unknown; fix it and status shows office time again (\`quota-herald check\` lists every problem):`, ...shown, ...more],
  };
}

/** Many offices: the zone of each office whose config loads (unreadable ones fall back to UTC). */
function officeZones(ctx: CliContext): Map<string, string> {
  const { offices } = loadOfficeConfigs(ctx.configDir, ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {});
  return new Map(offices.flatMap((office) => (office.config ? office.config.offices.map((each) => [each.id, each.timezone] as const) : [])));
}

/** No config files: the zones of the offices' current revisions (the first office's, or the selected one's, for the rest). */
function fromRevisionsZone(ctx: CliContext, zones: ReadonlyMap<string, string>, office: string | undefined): { zone: string; note: string[] } {
  const zone = (office === undefined ? [...zones.values()][0] : zones.get(office)) ?? 'UTC';
  return { zone, note: [`no config files in ${ctx.configDir}: the offices run from their current config revisions in the database`] };
}

/** Many offices: times in the selected office's zone; with all offices each row has its own (this zone is for the rest). */
function officesZone(ctx: CliContext, office: string | undefined): { zone: string; note: string[] } {
  const zones = officeZones(ctx);
  const zone = (office === undefined ? [...zones.values()][0] : zones.get(office)) ?? 'UTC';
  return { zone, note: [] };
}

/**
 * No config files (a deployment run from its database): each office's zone from
 * its current revision; the offices are those with one.
 */
async function revisionZones(store: Store): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  for (const officeId of (await listCurrentIds(store)).keys()) {
    const revision = await getCurrentRevision(store, officeId);
    zones.set(officeId, (revision && revisionZone(revision.files, officeId)) ?? 'UTC');
  }
  return zones;
}

export async function statusCommand(ctx: CliContext, options: { json?: boolean; office?: string }): Promise<number> {
  const fromFiles = hasConfigFiles(ctx.configDir);
  if (fromFiles && isManyOffices(ctx.configDir)) checkOfficeOption(ctx, options.office, listOfficeIds(ctx.configDir));
  if (fromFiles && !isManyOffices(ctx.configDir) && options.office !== undefined) {
    const { config } = loadConfig(ctx.configDir, ctx.templatesDir ? { templatesDir: ctx.templatesDir } : undefined);
    if (config) checkOfficeOption(ctx, options.office, config.offices.map((office) => office.id));
  }
  const office = options.office === undefined ? {} : { officeId: options.office };
  const store = await openStore(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : { dataDir: ctx.dataDir });
  try {
    // No config files: the offices and their zones come from the current revisions in the database.
    const storedZones = fromFiles ? null : await revisionZones(store);
    if (storedZones && options.office !== undefined && !storedZones.has(options.office)) {
      throw new AppError('usage', `unknown office "${options.office}": use one of ${[...storedZones.keys()].join(', ') || '(none)'} (the offices with a current config revision; there are no config files in ${ctx.configDir})`);
    }
    const many = storedZones ? storedZones.size > 1 : isManyOffices(ctx.configDir);
    const now = ctx.clock.now();
    const { states, upcoming, recent, failures, config, instance, alerts, accounts } = await readStatusSnapshot(store, { ...office, now });
    const recentAlerts = alerts.slice(-10);
    if (options.json) {
      const json = (posts: LedgerPost[]): object[] =>
        posts.map((p) => ({ id: p.id, office: p.officeId, revision: p.revision, state: p.state, channel: p.channelId, rule: p.ruleId, kind: p.kind, releaseId: p.releaseId, dueAt: p.dueAt.toISOString(), deadline: p.deadline?.toISOString() ?? null, publishedAt: p.publishedAt?.toISOString() ?? null, remoteId: p.remoteId, remoteUrl: p.remoteUrl, lastError: p.lastError, attempts: p.attempts }));
      write(ctx.stdout, JSON.stringify({ states, config, instance, accounts, upcoming: json(upcoming), recent: json(recent), failures: json(failures), alerts: recentAlerts }, null, 2));
      return 0;
    }
    // Times in the office's zone when the config is readable; status must work even when it is not.
    const { zone, note } = storedZones
      ? fromRevisionsZone(ctx, storedZones, options.office)
      : many
        ? officesZone(ctx, options.office)
        : readingZone(ctx, instance);
    note.forEach((line) => write(ctx.stdout, line));
    // Stored times are ISO (so is --json); staff read them in the office zone: `Jum 4 Des 14.00 WIB`.
    const staff = (text: string): string => localizeInstants(text, zone, now);
    // Many offices: an office column, and each post's time in its own office's zone.
    const zoneOf = storedZones ?? (many ? officeZones(ctx) : new Map<string, string>());
    const rows = (posts: LedgerPost[], when: (p: LedgerPost) => Date | null): string[][] =>
      posts.map((p) => [
        ...(many ? [p.officeId] : []),
        localStamp(when(p), zoneOf.get(p.officeId) ?? zone, now),
        p.state,
        p.channelId,
        p.ruleId,
        p.releaseId ?? p.subject,
        p.id,
        staff(p.lastError ?? ''),
      ]);
    const headers = [...(many ? ['office'] : []), many ? 'time (office zone)' : `time (${zone})`, 'state', 'channel', 'rule', 'about', 'id', 'note'];
    if (options.office !== undefined) write(ctx.stdout, `office ${options.office}:`);
    // Written by the bot as a ConfigStatus; a record from an older version lacks `content`.
    const configStatus = config as { ok?: boolean; loadedAt?: string; checkedAt?: string; problems?: string[]; content?: StoredContent; rejectedHash?: string; revisions?: Record<string, number> } | null;
    write(ctx.stdout, `ledger: ${Object.entries(states).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ') || 'empty'}`);
    if (instance) write(ctx.stdout, `last heartbeat: ${staff((instance as { heartbeatAt?: string }).heartbeatAt ?? '?')} (pid ${(instance as { pid?: number }).pid ?? '?'})`);
    if (configStatus) {
      write(ctx.stdout, configStatus.ok ? `config: ok (loaded ${staff(configStatus.loadedAt ?? '?')})` : `config: INVALID since ${staff(configStatus.checkedAt ?? '?')}; the last good schedule keeps running. Problems:`);
      if (!configStatus.ok) (configStatus.problems ?? []).forEach((line) => write(ctx.stdout, `  ${line}`));
      // Which files, as of when: staff compare this with what they just saved.
      const running = Object.entries(configStatus.revisions ?? {}).filter(([id]) => options.office === undefined || id === options.office);
      if (running.length > 0) write(ctx.stdout, `config revisions running: ${running.map(([id, revision]) => `${id} ${revision}`).join(', ')} (\`quota-herald config log\`)`);
      const content = configStatus.content;
      if (content && content.files.length > 0) {
        const rejected = !configStatus.ok && configStatus.rejectedHash ? ` (the edited content ${shortHash(configStatus.rejectedHash)} was rejected)` : '';
        write(ctx.stdout, `plan built from config content ${shortHash(content.hash)}${rejected}:`);
        // The most recently modified first: the edit staff just made is what they look for.
        const newest = [...content.files].sort((a, b) => (a.modifiedAt < b.modifiedAt ? 1 : a.modifiedAt > b.modifiedAt ? -1 : 0));
        newest.slice(0, SHOWN_FILES).forEach((f) => write(ctx.stdout, `  ${f.file}  modified ${localStamp(new Date(f.modifiedAt), zone)}`));
        if (newest.length > SHOWN_FILES) write(ctx.stdout, `  … and ${newest.length - SHOWN_FILES} older file(s); \`status --json\` lists them all`);
      }
    }
    for (const report of accounts) {
      const expiry = report.tokenExpiresAt ? `, token expires ${staff(report.tokenExpiresAt)}` : '';
      write(ctx.stdout, `account ${report.channelId}: ${report.account ?? '?'}${expiry} (checked ${staff(report.checkedAt)})`);
      report.problems.forEach((line) => write(ctx.stdout, `  ${staff(line)}`));
    }
    write(ctx.stdout, `\nupcoming:\n${upcoming.length ? table(headers, rows(upcoming, (p) => p.dueAt)) : '  none'}`);
    write(ctx.stdout, `\nrecently published:\n${recent.length ? table(headers, rows(recent, (p) => p.publishedAt)) : '  none'}`);
    write(ctx.stdout, `\nfailures:\n${failures.length ? table(headers, rows(failures, (p) => p.dueAt)) : '  none'}`);
    if (recentAlerts.length) write(ctx.stdout, `\nalerts:\n${recentAlerts.map((a) => `  ${staff(a.at)} ${a.kind}: ${staff(a.message)}`).join('\n')}`);
    return 0;
  } finally {
    await store.close();
  }
}
