#!/usr/bin/env node
'use strict';
require('./register-ts');
require('../src/cli/main.ts')
  .main(process.argv)
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  });
