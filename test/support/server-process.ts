import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The repository root, whether this file runs from test/ (jest) or dist/test/ (bench). */
export const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'bin', 'ledger.js'))) dir = join(dir, '..');
  return dir;
})();

/** Compiles once per test run (bin/ledger.js would too, but a test should not race it). */
export function buildOnce(): void {
  const entry = join(ROOT, 'dist', 'apps', 'ledger-cli', 'src', 'main.js');
  const marker = process.env.LEDGER_TEST_BUILT;
  if (marker && existsSync(entry) && statSync(entry).mtimeMs >= Number(marker)) return;
  const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (!existsSync(entry)) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  process.env.LEDGER_TEST_BUILT = String(Date.now() - 1000);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  output: () => string;
}

/** Starts `ledger serve` as a child process and waits for /health. */
export async function startServer(env: Record<string, string>, args: string[] = ['serve']): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'ledger.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', LEDGER_SKIP_BUILD: '1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) break;
    } catch {
      /* not yet listening */
    }
    if (Date.now() - started > 60_000) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, output: () => output };
}

export function kill9(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

export type JsonAnswer = Record<string, unknown> & { items?: Record<string, unknown>[] };

/** A JSON request to a server under test; a status of 300 or more throws with the answer. */
export async function callJson(base: string, method: string, path: string, body?: object): Promise<JsonAnswer> {
  const res = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = (await res.json()) as JsonAnswer;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}
