import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../support/server-process';

export interface LedgerRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/ledger.js …` as a child process. LEDGER_SKIP_BUILD: the suite compiled once
 * in beforeAll (buildOnce), so a source edited meanwhile does not recompile per spawn.
 */
export function runLedger(args: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<LedgerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ledger.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', LEDGER_SKIP_BUILD: '1', LEDGER_DATA_DIR: undefined, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** The lines a run wrote to a stream, without the trailing empty one. */
export const linesOf = (text: string) => text.split('\n').filter((l) => l.length > 0);
