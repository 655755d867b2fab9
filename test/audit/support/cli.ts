import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildOnce, ROOT } from '../../support/server-process';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled `ledger` CLI in a child process. It loads dist/ directly rather than
 * through bin/ledger.js, which would recompile whenever anyone touched a source file.
 */
const RUNNER = `
require('tsconfig-paths').register({ baseUrl: ${JSON.stringify(join(ROOT, 'dist'))}, paths: { '@ledger/*': ['libs/*/src'] } });
require(${JSON.stringify(join(ROOT, 'dist', 'apps', 'ledger-cli', 'src', 'main.js'))})
  .main(['node', 'ledger', ...process.argv.slice(1)])
  .then((code) => { process.exitCode = code; });
`;

export function ledgerCli(args: string[], env: Record<string, string> = {}): CliResult {
  buildOnce();
  const result = spawnSync(process.execPath, ['-e', RUNNER, '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
