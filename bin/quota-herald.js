#!/usr/bin/env node
'use strict';
// The shipped CLI: runs the JavaScript that `npm run build` (run by `npm ci`
// through `prepare`) compiled from src/ into dist/. No compiler at run time.
//
// Source maps on before anything loads, so a stack trace (--debug, or a crash)
// names the TypeScript file and line, not dist/. Node reads each dist/ module's
// .js.map as it loads; idle memory stayed the same (README, "Development").
process.setSourceMapsEnabled(true);

const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
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
