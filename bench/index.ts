/**
 * `npm run bench`: every benchmark in its own process (so memory figures do
 * not mix), figures printed as they come. `npm run bench -- console scale`
 * runs only those (each is also `node bin/run-ts.js bench/NAME.ts`; their
 * HERALD_* variables, in each file's header, select parts of one).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ALL = ['render.ts', 'preview.ts', 'plan.ts', 'store.ts', 'simulate.ts', 'idle.ts', 'publish-latency.ts', 'scale.ts', 'console.ts', 'public-load.ts'];
const asked = process.argv.slice(2).map((name) => (name.endsWith('.ts') ? name : `${name}.ts`));
const unknown = asked.filter((name) => !ALL.includes(name));
if (unknown.length > 0) throw new Error(`no such benchmark: ${unknown.join(', ')} (there are ${ALL.join(', ')})`);
const BENCHES = asked.length > 0 ? asked : ALL;

let failed = 0;
for (const bench of BENCHES) {
  const file = path.join(__dirname, bench);
  if (!fs.existsSync(file)) continue;
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, [path.join(__dirname, '..', 'bin', 'run-ts.js'), file], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
