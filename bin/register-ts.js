'use strict';
// A minimal require hook: transpile .ts with swc (type checking is
// `npm run typecheck`'s job), keeping inline source maps so stack traces (shown
// only with --debug) point at TypeScript lines.
//
// Transpiled files are cached by content hash under node_modules/.cache, and
// `npm ci` warms the cache (the `prepare` script): the long-running bot then
// never loads swc's ~30 MB native compiler at all.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

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
      // A read-only install still runs; it just transpiles every time.
    }
    return code;
  }
}

require.extensions['.ts'] = function compileTs(module, filename) {
  module._compile(compileCached(fs.readFileSync(filename, 'utf8'), filename), filename);
};

module.exports = { compileCached };
