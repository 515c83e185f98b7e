/**
 * `simulate`: the real scheduler and ledger on a virtual clock, every channel
 * replaced by the outbox. A month runs in seconds and shows exactly what the
 * live bot would send, when.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createVirtualClock } from '../clock';
import { OUTBOX_FILE } from '../channels/outbox/outbox-channel';
import { ConfigError, formatProblem, type Problem } from '../errors';
import type { Logger } from '../logger';
import { createScheduler } from '../schedule/scheduler';
import { runScheduleLoop } from '../schedule/run-loop';
import { openStore } from '../store/open';
import { countByState } from '../store/ledger';
import type { Alert } from '../schedule/alerts';
import { createAlertSink, type AlertSink } from './alert-sink';
import { combineLoaded, loadDeployment, type Loaded } from './load-all';
import { replanInto } from './replan';
import { buildRuntime } from './runtime';

export interface SimulationOptions {
  configDir: string;
  templatesDir?: string;
  from: Date;
  to: Date;
  outDir: string;
  /** Many offices: simulate only these (default: every office whose config loads). */
  offices?: readonly string[];
  logger: Logger;
  /**
   * Where alerts are logged (default `logger`). They are also returned, for
   * the CLI to show in office time: it passes a silent logger unless --debug,
   * so staff do not read each alert twice, once as ISO JSON.
   */
  alertLogger?: Logger;
}

/** An alert the scheduler raised during the simulated run; `at` is virtual time. */
export interface SimulatedAlert {
  kind: string;
  message: string;
  at: Date;
}

export interface SimulationResult {
  outboxFile: string;
  states: Record<string, number>;
  warnings: Problem[];
  /** In the order raised, each problem once (as the live sink reports it). */
  alerts: SimulatedAlert[];
  /** Many offices: those left out because their config has errors. */
  skippedOffices: string[];
}

const DAY_MS = 86_400_000;

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const loadedOutcome = loadForSimulation(options);
  const loaded = loadedOutcome.loaded;

  fs.mkdirSync(options.outDir, { recursive: true });
  const outboxFile = path.join(options.outDir, OUTBOX_FILE);
  fs.rmSync(outboxFile, { force: true });
  fs.rmSync(path.join(options.outDir, 'media'), { recursive: true, force: true });

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-herald-sim-'));
  const clock = createVirtualClock(options.from);
  const store = await openStore({ dataDir: scratch });
  try {
    const runtime = buildRuntime(loaded, { clock, logger: options.logger, outboxDir: options.outDir, env: {}, fetch }, 1, { outboxOnly: true });
    const alerts: SimulatedAlert[] = [];
    const alert = collectAlerts(createAlertSink({ logger: options.alertLogger ?? options.logger, store, now: () => clock.now() }), alerts, () => clock.now());
    const scheduler = createScheduler({ store, clock, logger: options.logger, runtime: () => runtime, owner: 'simulate', mediaRoot: options.outDir, storeCards: false, alert, random: () => 0.5 });
    const offices = loaded.config.offices.map((office) => office.id);
    await replanInto(store, loaded.config, clock.now(), { offices });
    await runScheduleLoop({
      scheduler,
      clock,
      logger: options.logger,
      signal: new AbortController().signal,
      until: options.to,
      // A virtual clock jumps straight to the next event: chunking would only add ticks.
      maxChunkMs: Number.POSITIVE_INFINITY,
      renderAheadMs: () => loaded.config.settings.renderAheadMinutes * 60_000,
      // The live bot re-plans every few minutes; once a virtual day keeps the horizon filled.
      replan: { nextAt: (now) => new Date(now.getTime() + DAY_MS), run: async (now) => void (await replanInto(store, loaded.config, now, { offices })) },
    });
    await alert.flush();
    return { outboxFile, states: await countByState(store), warnings: loadedOutcome.problems.filter((p) => p.severity === 'warning'), alerts, skippedOffices: loadedOutcome.skipped };
  } finally {
    await store.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The config at the simulation's start: today's layout as one; many offices
 * as one combined config of those that load (a broken office is left out,
 * and named in `skipped`).
 */
function loadForSimulation(options: SimulationOptions): { loaded: Loaded; problems: Problem[]; skipped: string[] } {
  const deployment = loadDeployment(options.configDir, {
    now: options.from,
    ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
    ...(options.offices ? { only: options.offices } : {}),
  });
  if (deployment.shared.some((p) => p.severity === 'error')) throw new ConfigError(deployment.shared);
  const good = deployment.offices.flatMap((office) => (office.loaded ? [office.loaded] : []));
  const first = good[0];
  if (!first) throw new ConfigError([...deployment.shared, ...deployment.offices.flatMap((office) => office.problems)]);
  const loaded = combineLoaded(good, first.config)!;
  return {
    loaded,
    problems: [...deployment.shared, ...deployment.offices.filter((office) => office.loaded).flatMap((office) => office.problems)],
    skipped: deployment.offices.filter((office) => !office.loaded).map((office) => office.id),
  };
}

/** `sink`, also keeping each alert in `into` (once per post, revision and message, as the sink dedupes). */
function collectAlerts(sink: AlertSink, into: SimulatedAlert[], now: () => Date): AlertSink {
  const seen = new Set<string>();
  const collecting = ((alert: Alert) => {
    const key = `${alert.kind}|${alert.post?.id ?? ''}|${alert.post?.revision ?? ''}|${alert.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      into.push({ kind: alert.kind, message: alert.message, at: now() });
    }
    sink(alert);
  }) as AlertSink;
  collecting.flush = () => sink.flush();
  collecting.close = () => sink.close();
  return collecting;
}

export function describeProblems(problems: Problem[]): string {
  return problems.map((p) => formatProblem(p)).join('\n');
}
