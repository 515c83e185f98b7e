/**
 * `simulate` of the sample office over a whole year, images included.
 * Target: ≤ 60 s on this 2-core machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSimulation } from '../src/app/simulate';
import { readOutbox } from '../src/channels/outbox/outbox-channel';
import { createSilentLogger } from '../src/logger';
import { fromLocal } from '../src/time/zone';

async function main(): Promise<void> {
  const configDir = path.resolve(__dirname, '..', 'config');
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-herald-bench-sim-'));
  const from = fromLocal('2027-01-01', '00:00', 'Asia/Pontianak');
  const to = fromLocal('2028-01-01', '00:00', 'Asia/Pontianak');
  const started = process.hrtime.bigint();
  const result = await runSimulation({ configDir, from, to, outDir, logger: createSilentLogger() });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const records = readOutbox(result.outboxFile);
  const images = records.reduce((n, r) => n + r.media.length, 0);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`simulate 1 office × 1 year: ${seconds.toFixed(1)} s (target ≤ 60 s), ${records.length} posts, ${images} images, ledger ${JSON.stringify(result.states)}, peak RSS ${peakMb.toFixed(0)} MB`);
  fs.rmSync(outDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
