/**
 * `preview` of the sample office over three months, as a user runs it: the
 * whole command in a fresh process (start-up, planning, templates, layout
 * checks, every image written), divided by the number of images.
 * Target (issue 7): ≤ 20 ms per image on this 2-core machine.
 *
 *   node bin/run-ts.js bench/preview.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RUNS = 3;

function countImages(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countImages(path.join(dir, entry.name));
    else if (/^card(-\d+)?\.(png|jpg)$/.test(entry.name)) n++;
  }
  return n;
}

function main(): void {
  const root = path.resolve(__dirname, '..');
  const walls: number[] = [];
  let images = 0;
  for (let run = 0; run < RUNS; run++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-herald-bench-preview-'));
    const started = process.hrtime.bigint();
    const child = spawnSync(
      process.execPath,
      [path.join(root, 'bin', 'quota-herald.js'), 'preview', '--config', path.join(root, 'config'), '--from', '2027-01-01', '--to', '2027-04-01', '--out', out],
      { encoding: 'utf8' },
    );
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      throw new Error(`preview exited ${child.status}`);
    }
    images = countImages(out);
    walls.push(wallMs / images);
    fs.rmSync(out, { recursive: true, force: true });
  }
  const best = Math.min(...walls);
  const median = [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)]!;
  console.log(
    `preview 3 months (whole command, ${images} images): median ${median.toFixed(1)} ms per image, best ${best.toFixed(1)} (target ≤ 20 ms; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores)`,
  );
}

main();
