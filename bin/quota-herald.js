#!/usr/bin/env node
'use strict';
// The shipped CLI: runs the JavaScript that `npm run build` (run by `npm ci`
// through `prepare`) compiled from src/ into dist/. No compiler at run time.
//
// Source maps on before anything loads, so a stack trace (--debug, or a crash)
// names the TypeScript file and line, not dist/. Node reads each dist/ module's
// .js.map as it loads; idle memory stayed the same (README, "Development").
process.setSourceMapsEnabled(true);

const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'cli', 'main.js');

/** The first file under src/ changed after dist/ was built (a `git pull` without `npm run build`), if any. */
function newerSource(dir, builtAtMs) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return null; // an install without src/: nothing to compare
  }
  for (const item of entries) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) {
      const found = newerSource(full, builtAtMs);
      if (found) return found;
    } else if (/\.(ts|hbs|css)$/.test(item.name) && fs.statSync(full).mtimeMs > builtAtMs) {
      return full;
    }
  }
  return null;
}

// Running yesterday's code after pulling today's would announce with the old
// rules: refuse, and say what to run (a few hundred stat calls, ~1 ms).
if (fs.existsSync(entry)) {
  const changed = newerSource(path.join(root, 'src'), fs.statSync(entry).mtimeMs);
  if (changed) {
    process.stderr.write(`quota-herald's build is older than its source (${path.relative(root, changed)} changed after dist/ was built): run \`npm run build\` in ${root}\n`);
    process.exit(2);
  }
}

let cli;
try {
  cli = require(entry);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(entry)) {
    process.stderr.write(`quota-herald is not built (${entry} is missing): run \`npm ci\` or \`npm run build\` in ${path.dirname(__dirname)}\n`);
    process.exit(2);
  }
  throw error;
}
cli.main(process.argv).then((code) => {
  if (typeof code === 'number') process.exitCode = code;
});
