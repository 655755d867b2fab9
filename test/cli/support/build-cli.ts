import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, ROOT } from '../../support/server-process';

const MARKER = join(ROOT, 'dist', '.cli-tests-built-by');

/**
 * Compiles once per jest run, not once per spec file: jest gives each file its own
 * process.env, so buildOnce's marker does not carry over; a file naming this process does
 * (--runInBand runs every file in one process).
 */
export function buildCliOnce(): void {
  const mark = String(process.pid);
  if (existsSync(MARKER) && readFileSync(MARKER, 'utf8') === mark && existsSync(join(ROOT, 'dist', 'apps', 'ledger-cli', 'src', 'main.js'))) return;
  buildOnce();
  writeFileSync(MARKER, mark);
}
