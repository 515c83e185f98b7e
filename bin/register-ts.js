'use strict';
// DEVELOPMENT ONLY (tests, benchmarks, `npm run dev`): a require hook that
// transpiles src/ with swc on the fly (cached: ts-cache.js), so the test suite
// always runs the source in front of it and never a stale dist/. The shipped
// CLI (bin/quota-herald.js) runs dist/, compiled by tsc; @swc/core is a
// devDependency.
//
// Node 20 has no synchronous hook for require() other than require.extensions
// (module.registerHooks arrives in Node 22.15), hence its use here.
const fs = require('node:fs');
const { compileCached } = require('./ts-cache');

// The transpiled code carries inline source maps: stack traces name .ts lines.
process.setSourceMapsEnabled(true);

require.extensions['.ts'] = function compileTs(module, filename) {
  module._compile(compileCached(fs.readFileSync(filename, 'utf8'), filename), filename);
};
