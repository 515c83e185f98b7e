#!/usr/bin/env node
'use strict';
// DEVELOPMENT ONLY: the CLI straight from src/ (swc require hook, see
// register-ts.js), never from dist/. The tests start the CLI through this file
// (test/support/cli.ts), so they cannot run stale compiled code; `npm run dev --
// <command>` does the same by hand. Staff and `npm start` use bin/quota-herald.js.
require('./register-ts');
require('../src/cli/main.ts')
  .main(process.argv)
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  });
