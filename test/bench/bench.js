#!/usr/bin/env node
'use strict';
// `npm run bench [-- --quick] [-- --only appends,readall]`: installs the reference peers
// from their own lock file (kept out of the main install), compiles, and runs the suites.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..', '..');
const refs = join(__dirname, 'references');
const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!existsSync(join(refs, 'node_modules', '@event-driven-io', 'emmett-sqlite'))) {
  console.error('bench: installing the reference peers (emmett-sqlite, sqlite3) from test/bench/references/package-lock.json …');
  run('npm', ['ci', '--no-audit', '--no-fund'], refs);
}
console.error('bench: compiling …');
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.bench.json')], root);
run(process.execPath, ['--expose-gc', '-r', join(root, 'bin', 'register-paths.js'), join(root, 'dist', 'test', 'bench', 'run.js'), ...process.argv.slice(2)], root);
