#!/usr/bin/env node
'use strict';
// Runs a TypeScript entry file without a build step: every .ts file is
// transpiled by swc on require (type checking is `npm run typecheck`'s job).
require('./register-ts');
const path = require('node:path');
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: run-ts.js FILE.ts [args...]\n');
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
