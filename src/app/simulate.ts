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
import { createAlertSink } from './alert-sink';
import { loadAll } from './load-all';
import { replanInto } from './replan';
import { buildRuntime } from './runtime';

export interface SimulationOptions {
  configDir: string;
  templatesDir?: string;
  from: Date;
  to: Date;
  outDir: string;
  logger: Logger;
}

export interface SimulationResult {
  outboxFile: string;
  states: Record<string, number>;
  warnings: Problem[];
}

const DAY_MS = 86_400_000;

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const loadedOutcome = loadAll(options.configDir, { now: options.from, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) });
  if (!loadedOutcome.loaded) throw new ConfigError(loadedOutcome.problems);
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
    const alert = createAlertSink({ logger: options.logger, store, now: () => clock.now() });
    const scheduler = createScheduler({ store, clock, logger: options.logger, runtime: () => runtime, owner: 'simulate', mediaRoot: options.outDir, alert, random: () => 0.5 });
    await replanInto(store, loaded.config, clock.now());
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
      replan: { nextAt: (now) => new Date(now.getTime() + DAY_MS), run: async (now) => void (await replanInto(store, loaded.config, now)) },
    });
    await alert.flush();
    return { outboxFile, states: await countByState(store), warnings: loadedOutcome.problems.filter((p) => p.severity === 'warning') };
  } finally {
    await store.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export function describeProblems(problems: Problem[]): string {
  return problems.map((p) => formatProblem(p)).join('\n');
}
