import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../support/server-process';

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * Starts bare-nest-server.ts (compiled) as a child process; `sizedBytes` sizes its `/bare-sized`
 * answer; `logFile` and `viewsFile` enable its raw-SQLite routes (bare-nest-db.ts).
 */
export async function startBareNest(sizedBytes = 4096, files: { logFile?: string; viewsFile?: string } = {}): Promise<{ base: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', join(ROOT, 'bin', 'register-paths.js'), join(ROOT, 'dist', 'test', 'bench', 'lib', 'bare-nest-server.js'), String(port), String(sizedBytes), files.logFile ?? '', files.viewsFile ?? ''], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`bare nest exited ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}
