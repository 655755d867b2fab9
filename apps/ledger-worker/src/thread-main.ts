import { CheckpointerLifecycle } from '@ledger/audit';
import { ProjectionsService, type DeadlineWatcherHealth } from '@ledger/projections';
import { WEBHOOK_RUNTIME, type WebhookRuntime } from '@ledger/webhooks';
import { register, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { parentPort, workerData } from 'node:worker_threads';
import { startWorker } from './main';

/** What the api tells its background thread. */
export type ToBackgroundThread = { kind: 'appended' } | { kind: 'health'; id: number } | { kind: 'metrics'; id: number } | { kind: 'close' };
/** What the background thread tells its api. */
export type FromBackgroundThread =
  | { kind: 'ready' }
  | { kind: 'positions'; positions: [string, number][] }
  | { kind: 'health'; id: number; parts: BackgroundParts }
  | { kind: 'metrics'; id: number; metrics: ThreadMetrics }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' };

/** The thread's Prometheus registry (a thread has its own), for the api's /metrics. */
export type ThreadMetrics = MetricObjectWithValues<MetricValue<string>>[];

/** The thread's own view of its parts, for the api's /health. */
export interface BackgroundParts {
  projectorLeader: boolean | null;
  auditCheckpointer: { running: boolean; treeSize: number };
  dispatcher: { ready?: boolean; [detail: string]: unknown };
  deadlineWatcher: DeadlineWatcherHealth | null;
}

/**
 * The body of `LEDGER_BACKGROUND=thread`: `ledger worker`'s background work (projector,
 * webhook dispatcher, checkpointer, deadline watcher) in a worker thread of the api
 * process, on connections of its own. The api's thread then only serves requests, and
 * the other core does the rest. The api wakes it on each commit (no polling delay), and
 * it sends the projections' positions back for read-your-writes.
 */
async function run(port: NonNullable<typeof parentPort>, env: NodeJS.ProcessEnv): Promise<void> {
  const worker = await startWorker(env);
  const store = worker.store as { wake?: () => void };
  const send = (message: FromBackgroundThread) => port.postMessage(message);
  const projections = worker.context.get(ProjectionsService);
  const positions = projections.runnerPositions?.subscribe((map) => send({ kind: 'positions', positions: [...map] }));
  const parts = (): BackgroundParts => ({
    projectorLeader: projections.isLeader,
    auditCheckpointer: worker.context.get(CheckpointerLifecycle).health(),
    dispatcher: worker.context.get<WebhookRuntime>(WEBHOOK_RUNTIME).dispatcher.health(),
    deadlineWatcher: projections.deadlineWatcherHealth,
  });
  port.on('message', (message: ToBackgroundThread) => {
    if (message.kind === 'appended') store.wake?.();
    if (message.kind === 'health') send({ kind: 'health', id: message.id, parts: parts() });
    if (message.kind === 'metrics') {
      const { id } = message;
      void register.getMetricsAsJSON().then((metrics) => send({ kind: 'metrics', id, metrics: metrics as ThreadMetrics }), () => send({ kind: 'metrics', id, metrics: [] }));
    }
    if (message.kind === 'close') {
      positions?.unsubscribe();
      void worker.close().finally(() => {
        send({ kind: 'closed' });
        port.close();
      });
    }
  });
  send({ kind: 'ready' });
}

if (parentPort) {
  const port = parentPort;
  run(port, (workerData as { env: NodeJS.ProcessEnv }).env).catch((error: Error) => port.postMessage({ kind: 'failed', message: error.message } satisfies FromBackgroundThread));
}
