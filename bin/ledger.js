#!/usr/bin/env node
'use strict';
// The `ledger` command. Runs the compiled CLI from dist/, compiling first when dist/ is
// missing or older than the TypeScript sources, so that `npm start` works on a fresh clone.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'apps', 'ledger-cli', 'src', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    if (name.name === 'node_modules') continue;
    const path = join(dir, name.name);
    if (name.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (name.name.endsWith('.ts') && !name.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sourcesChanged = () =>
  Math.max(newestSource(join(root, 'apps')), newestSource(join(root, 'libs')), statSync(join(root, 'tsconfig.json')).mtimeMs) >
  statSync(entry).mtimeMs;

// LEDGER_SKIP_BUILD=1: run dist/ as it is (tests that compiled once, in a tree others are editing).
const mayRebuild = process.env.LEDGER_SKIP_BUILD !== '1' && existsSync(join(root, 'apps'));
if (!existsSync(entry) || (mayRebuild && sourcesChanged())) {
  process.stderr.write('ledger: compiling TypeScript (first run or sources changed)…\n');
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  if (!existsSync(entry)) {
    process.stderr.write('ledger: the build produced no CLI; see the compiler errors above.\n');
    process.exit(2);
  }
  if (result.status !== 0) process.stderr.write('ledger: the compiler reported errors (see above); running what was emitted.\n');
}

require('./register-paths');
require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
