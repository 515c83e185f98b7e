'use strict';
// Loaded by jest itself (CommonJS, not through swc): Node's globals.
/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The order jest hands test files to its workers: the longest first, so the
 * two workers finish together instead of one running a minute-long fault test
 * alone at the end.
 *
 * jest's own order does that only with timings from an earlier run on this
 * machine (its cache). CI runs on a clean clone without them, where jest falls
 * back to file size, and the longest tests here are short files that wait on
 * the wall clock (test/faults/pause.test.ts: 78 lines, a minute or more), so
 * they came last. Without cached timings this uses test/durations.json
 * (seconds measured on an idle two-core machine; refresh it with
 * `node scripts/test-durations.js <jest --json output>` when files become
 * much slower or faster), and for a file it does not list, its size as jest does.
 *
 * Order never changes what a test proves: each file still runs alone in its worker.
 */
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = path.resolve(__dirname, '..');
const DURATIONS = path.join(__dirname, 'durations.json');
/** An unlisted file: about a second per 4 kB of test code (the listed files are the slow ones). */
const SECONDS_PER_BYTE = 1 / 4_000;

class SlowestFirst extends Sequencer {
  sort(tests) {
    const listed = JSON.parse(fs.readFileSync(DURATIONS, 'utf8')).seconds;
    const estimate = (test) => {
      const cached = this.time(test); // ms, from an earlier run here
      if (cached != null) return cached / 1000;
      const known = listed[path.relative(ROOT, test.path).split(path.sep).join('/')];
      if (known != null) return known;
      return (test.context.hasteFS.getSize(test.path) ?? 0) * SECONDS_PER_BYTE;
    };
    const seconds = new Map(tests.map((test) => [test, estimate(test)]));
    return [...tests].sort((a, b) => {
      // As jest does: what failed last time first, for quick feedback.
      const failed = Number(this.hasFailed(b)) - Number(this.hasFailed(a));
      return failed !== 0 ? failed : seconds.get(b) - seconds.get(a);
    });
  }
}

module.exports = SlowestFirst;
