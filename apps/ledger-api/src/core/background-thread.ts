import { Logger } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import { StartupError } from '@ledger/platform';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { BackgroundParts, FromBackgroundThread, ThreadMetrics, ToBackgroundThread } from '../../../ledger-worker/src/thread-main';

export interface BackgroundThread {
  /** The projections' positions as the thread moves them (for read-your-writes). */
  positions: Observable<ReadonlyMap<string, number>>;
  /** For /health: whether the thread runs, how often it was started again, and its parts as it sees them. */
  health(): Promise<{ ready: boolean; running: boolean; restarts: number; parts?: BackgroundParts }>;
  /** The thread's Prometheus metrics (webhook deliveries and the like), or nothing if it does not answer. */
  metrics(): Promise<ThreadMetrics | undefined>;
  close(): Promise<void>;
}

const RESTART_DELAY_MS = 1000;
/** How long /health and /metrics wait for the thread's answer. */
const ASK_TIMEOUT_MS = 2000;

/**
 * `LEDGER_BACKGROUND=thread`: runs `ledger worker`'s background work in a worker thread of
 * this process (apps/ledger-worker/src/thread-main.ts) and tells it of each commit. If
 * the thread stops on its own, it is started again after a second: the projections and
 * deliveries resume from their checkpoints.
 */
export async function startBackgroundThread(env: NodeJS.ProcessEnv, store: EventStore): Promise<BackgroundThread> {
  const logger = new Logger('background-thread');
  // dist/apps/ledger-api/src/core → dist/apps/ledger-worker/src, and the repository's bin/.
  const entry = join(__dirname, '..', '..', '..', 'ledger-worker', 'src', 'thread-main.js');
  const registerPaths = join(__dirname, '..', '..', '..', '..', '..', 'bin', 'register-paths.js');
  if (!existsSync(entry) || !existsSync(registerPaths)) {
    throw new StartupError('LEDGER_BACKGROUND=thread needs the compiled build (bin/ledger.js serve); use true or false when running the sources');
  }
  const positions = new Subject<ReadonlyMap<string, number>>();
  let current: Worker | undefined;
  let closing = false;
  let restarts = 0;
  const asked = new Map<number, (answer: BackgroundParts | ThreadMetrics) => void>();
  let nextQuestion = 0;
  // SQLite: wake the thread's subscribers on each commit (EventStoreDB pushes to them itself).
  const commits: Subscription | undefined = (store as { commits?: Observable<void> }).commits?.subscribe(() =>
    current?.postMessage({ kind: 'appended' } satisfies ToBackgroundThread),
  );

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(`require(${JSON.stringify(registerPaths)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: { env: { ...env } } });
      let ready = false;
      worker.on('message', (message: FromBackgroundThread) => {
        if (message.kind === 'positions') positions.next(new Map(message.positions));
        else if (message.kind === 'health') asked.get(message.id)?.(message.parts);
        else if (message.kind === 'metrics') asked.get(message.id)?.(message.metrics);
        else if (message.kind === 'ready') {
          ready = true;
          current = worker;
          resolve();
        } else if (message.kind === 'failed') {
          if (!ready) reject(new StartupError(`the background thread did not start: ${message.message}`));
          else logger.error(`background thread failed: ${message.message}`);
        }
      });
      worker.on('error', (error) => {
        if (!ready) reject(new StartupError(`the background thread did not start: ${error.message}`));
        else logger.error(`background thread failed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        if (current === worker) current = undefined;
        if (!ready || closing) return;
        logger.error(`background thread exited (code ${code}); starting it again in ${RESTART_DELAY_MS} ms`);
        setTimeout(() => {
          restarts += 1;
          if (!closing) start().catch((error: Error) => logger.error(error.message));
        }, RESTART_DELAY_MS).unref();
      });
    });

  await start();
  /** Asks the running thread and waits at most ASK_TIMEOUT_MS for its answer. */
  const ask = <T extends BackgroundParts | ThreadMetrics>(worker: Worker, kind: 'health' | 'metrics'): Promise<T | undefined> => {
    const id = nextQuestion++;
    return new Promise<T | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), ASK_TIMEOUT_MS);
      asked.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer as T);
      });
      worker.postMessage({ kind, id } satisfies ToBackgroundThread);
    }).finally(() => asked.delete(id));
  };
  return {
    positions,
    // Readiness also follows the projections' lag, which /health reports from the checkpoints.
    health: async () => {
      const worker = current;
      if (!worker) return { ready: false, running: false, restarts };
      const parts = await ask<BackgroundParts>(worker, 'health');
      const ready = parts !== undefined && parts.dispatcher.ready !== false;
      return { ready, running: true, restarts, parts };
    },
    metrics: async () => (current ? ask<ThreadMetrics>(current, 'metrics') : undefined),
    close: async () => {
      closing = true;
      commits?.unsubscribe();
      const worker = current;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ kind: 'close' } satisfies ToBackgroundThread);
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
      positions.complete();
    },
  };
}
