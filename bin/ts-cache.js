'use strict';
// DEVELOPMENT ONLY: swc transpilation of src/ for the require hook in
// register-ts.js, cached by content hash under node_modules/.cache, so the many
// CLI processes a test run starts transpile each file once. Type checking is
// `npm run typecheck`'s job.
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
      // A read-only checkout still runs; it just transpiles every time.
    }
    return code;
  }
}

/**
 * Transpiles every .ts file under `dir` into the cache (jest's global setup
 * does it for src/): a CLI process started right after an edit then starts as
 * fast as any other, which tests with openings seconds away rely on.
 */
function warmTree(dir) {
  let count = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) count += warmTree(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      compileCached(fs.readFileSync(full, 'utf8'), full);
      count++;
    }
  }
  return count;
}

module.exports = { compileCached, warmTree };
