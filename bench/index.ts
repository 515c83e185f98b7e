/**
 * `npm run bench`: every benchmark in its own process (so memory figures do
 * not mix), figures printed as they come.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const BENCHES = ['render.ts', 'preview.ts', 'plan.ts', 'store.ts', 'simulate.ts', 'idle.ts', 'publish-latency.ts', 'scale.ts'];

let failed = 0;
for (const bench of BENCHES) {
  const file = path.join(__dirname, bench);
  if (!fs.existsSync(file)) continue;
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, [path.join(__dirname, '..', 'bin', 'run-ts.js'), file], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
