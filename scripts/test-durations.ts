/**
 * Refreshes test/durations.json, the order test/sequencer.cjs gives jest on a
 * clean checkout (no timings of an earlier run), from a run of the suite:
 *
 *   npx jest --json --outputFile=/tmp/jest-results.json
 *   node bin/run-ts.js scripts/test-durations.ts /tmp/jest-results.json
 *
 * Run it on an idle machine: only the order matters, but files that wait on the
 * wall clock and files that need the CPU grow differently under load. Files
 * under MIN_SECONDS are left out (the sequencer estimates them from their size).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'test', 'durations.json');
const MIN_SECONDS = 5;

const input = process.argv[2];
if (!input) {
  process.stderr.write('usage: node bin/run-ts.js scripts/test-durations.ts JEST_JSON_OUTPUT\n');
  process.exit(2);
}
const results = JSON.parse(fs.readFileSync(input, 'utf8')) as { testResults: { name: string; startTime: number; endTime: number }[] };
const previous = JSON.parse(fs.readFileSync(OUT, 'utf8')) as { note: string; seconds: Record<string, number> };
const seconds: Record<string, number> = {};
for (const result of results.testResults) {
  const took = Math.round((result.endTime - result.startTime) / 1000);
  if (took >= MIN_SECONDS) seconds[path.relative(ROOT, result.name).split(path.sep).join('/')] = took;
}
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
fs.writeFileSync(OUT, `${JSON.stringify({ note: previous.note, seconds: sorted }, null, 2)}\n`);
process.stdout.write(`${Object.keys(sorted).length} file(s) of ${MIN_SECONDS} s or more written to ${path.relative(ROOT, OUT)}\n`);
