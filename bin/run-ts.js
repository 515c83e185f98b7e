#!/usr/bin/env node
'use strict';
// DEVELOPMENT ONLY (benchmarks, test fixtures): runs a TypeScript entry file
// from source, every .ts file transpiled by swc on require (see register-ts.js).
require('./register-ts');
const path = require('node:path');
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: run-ts.js FILE.ts [args...]\n');
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
