'use strict';
// DEVELOPMENT ONLY (tests, benchmarks, `npm run dev`): a require hook that
// transpiles src/ with swc on the fly, so the test suite always runs the source
// in front of it and never a stale dist/. The shipped CLI (bin/quota-herald.js)
// runs dist/, compiled by tsc; @swc/core is a devDependency.
//
// Node 20 has no synchronous hook for require() other than require.extensions
// (module.registerHooks arrives in Node 22.15), hence its use here. Type checking
// is `npm run typecheck`'s job. Output is cached by content hash under
// node_modules/.cache, so the many CLI processes a test run starts transpile once.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// Inline source maps are only worth their bytes if Node applies them.
process.setSourceMapsEnabled(true);

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'quota-herald-ts');
const CACHE_VERSION = 'swc-es2022-cjs-1';
let transformSync = null;

function transpile(source, filename) {
  if (!transformSync) transformSync = require('@swc/core').transformSync;
  return transformSync(source, {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  }).code;
}

function compileCached(source, filename) {
  const key = crypto.createHash('sha256').update(CACHE_VERSION).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const code = transpile(source, filename);
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temp, code);
      fs.renameSync(temp, cached);
    } catch {
      // A read-only checkout still runs; it just transpiles every time.
    }
    return code;
  }
}

require.extensions['.ts'] = function compileTs(module, filename) {
  module._compile(compileCached(fs.readFileSync(filename, 'utf8'), filename), filename);
};
