/** `simulate --from T --to T [--out DIR]`: the real scheduler on a virtual clock, into an outbox. */
import path from 'node:path';
import { runSimulation } from '../app/simulate';
import { formatProblem } from '../errors';
import { createLogger, createSilentLogger } from '../logger';
import { localizeInstants } from '../render/helpers/staff-time';
import { readOutbox } from '../channels/outbox/outbox-channel';
import { checkRange } from './arguments';
import type { CliContext } from './context';
import { parseTimeOption, write } from './context';
import { localStamp, table } from './format';
import { listOfficeIds } from '../config/load-offices';
import { loadSelectedOffices } from './offices';

export async function simulateCommand(ctx: CliContext, options: { from: string; to: string; out: string; json?: boolean; office?: string }): Promise<number> {
  // Warnings are printed once, after the run: the simulation loads the config
  // again at its own start time (--from), and those are the ones that apply.
  // A broken office is reported here and left out; the others are simulated together.
  const selection = loadSelectedOffices(ctx, { printWarnings: false, ...(options.office === undefined ? {} : { office: options.office }) });
  const config = selection.offices[0]?.loaded.config;
  if (!config) return 1;
  const prefixed = selection.many && listOfficeIds(ctx.configDir).length > 1;
  const from = parseTimeOption(options.from, 'from', config)!;
  const to = parseTimeOption(options.to, 'to', config)!;
  checkRange(from, to, options);
  const zone = config.offices[0]?.timezone ?? 'UTC';
  // Many offices: each published time in its own office's zone.
  const zoneOf = new Map(selection.offices.flatMap((office) => office.loaded.config.offices.map((each) => [each.id, each.timezone] as const)));
  const result = await runSimulation({
    configDir: ctx.configDir,
    ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}),
    from,
    to,
    outDir: path.resolve(options.out),
    ...(selection.many ? { offices: selection.offices.map((office) => office.id) } : {}),
    logger: createLogger({ level: ctx.debug ? 'debug' : 'warn' }),
    // Alerts are printed below in office time; the JSON log line (ISO) only with --debug.
    ...(ctx.debug ? {} : { alertLogger: createSilentLogger() }),
  });
  // Messages are written where the zone is not known, with ISO instants: staff read office time.
  const staff = (text: string): string => localizeInstants(text, zone, ctx.clock.now());
  result.warnings.forEach((problem) => write(ctx.stderr, staff(formatProblem(problem, ctx.cwd))));
  result.alerts.forEach((alert) => write(ctx.stderr, staff(`warning: ${alert.kind} at ${alert.at.toISOString()}: ${alert.message}`)));
  const records = readOutbox(result.outboxFile);
  if (options.json) {
    const alerts = result.alerts.map((a) => ({ kind: a.kind, message: a.message, at: a.at.toISOString() }));
    write(ctx.stdout, JSON.stringify({ outbox: result.outboxFile, states: result.states, published: records.length, alerts }, null, 2));
  } else {
    if (records.length > 0) {
      write(
        ctx.stdout,
        table(
          [...(prefixed ? ['office'] : []), 'published', 'channel', 'rule', 'kind', 'about', 'first line'],
          records.map((r) => [
            ...(prefixed ? [r.office] : []),
            localStamp(new Date(r.publishedAt), zoneOf.get(r.office) ?? zone, ctx.clock.now()),
            r.channel,
            r.rule,
            r.kind,
            r.releaseId ?? '-',
            (r.text.split('\n')[0] ?? '').slice(0, 60),
          ]),
        ),
      );
    }
    const states = Object.entries(result.states).map(([state, count]) => `${state} ${count}`).join(', ');
    write(ctx.stdout, `\nsimulated ${localStamp(from, zone, ctx.clock.now())} → ${localStamp(to, zone, ctx.clock.now())} (${zone}): ${records.length} post(s) sent to ${result.outboxFile}${states ? ` (ledger: ${states})` : ''}`);
  }
  const failed = (result.states.expired ?? 0) + (result.states.dead ?? 0) + (result.states.unknown ?? 0);
  return failed > 0 || selection.failed.length > 0 ? 1 : 0;
}
