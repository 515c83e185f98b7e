#!/usr/bin/env node
'use strict';
// Transpiles every file under src/ into the require hook's cache (run by
// `npm ci` through the `prepare` script), so `npm start` needs no compiler.
const fs = require('node:fs');
const path = require('node:path');
const { compileCached } = require('./register-ts');

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const files = walk(path.join(__dirname, '..', 'src'));
for (const file of files) compileCached(fs.readFileSync(file, 'utf8'), file);
