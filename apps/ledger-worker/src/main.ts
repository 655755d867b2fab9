import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import { ProjectionsService } from '@ledger/projections';
import { ConfigError, loadConfig, openReadModelDb, StartupError, systemClock } from '@ledger/platform';
import type { Server } from 'node:http';
import { openEventStore } from '../../ledger-api/src/core/open-store';
import { JsonLogger } from '../../ledger-api/src/http/json-logger';
import { startWorkerHttp } from './worker-http';
import { WorkerModule } from './worker.module';

export interface Worker {
  context: INestApplicationContext;
  store: EventStore;
  close(): Promise<void>;
}

/**
 * `node dist/apps/ledger-worker/src/main.js` (or `ledger worker`): the projector (while it
 * holds the lease) and the deadline watcher, with the api's settings (LEDGER_DATA_DIR,
 * LEDGER_STORE, LEDGER_READ_MODEL, DATABASE_URL). LEDGER_WORKER_PORT adds /health and /metrics.
 */
export async function startWorker(env: NodeJS.ProcessEnv = process.env): Promise<Worker> {
  const config = loadConfig(env);
  const clock = systemClock;
  const store = await openEventStore(config, clock);
  const readModel = await openReadModelDb(config).catch(async (error) => {
    await store.close();
    throw error;
  });
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, clock, store, readModel, env }), {
    logger: new JsonLogger(config.logLevel),
    abortOnError: false,
  });
  await context.init();
  let http: Server | undefined;
  if (env.LEDGER_WORKER_PORT) http = await startWorkerHttp(context.get(ProjectionsService), Number(env.LEDGER_WORKER_PORT), config.host);
  return {
    context,
    store,
    close: async () => {
      http?.close();
      await context.close();
      await readModel.close();
      await store.close();
    },
  };
}

if (require.main === module) {
  startWorker()
    .then((worker) => {
      process.stdout.write(`ledger-worker running (pid ${process.pid})\n`);
      const stop = () => void worker.close().finally(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error) => {
      const known = error instanceof StartupError || error instanceof ConfigError;
      process.stderr.write(`ledger-worker: ${known ? '' : 'failed to start: '}${(error as Error).message}\n`);
      process.exit(known ? 2 : 1);
    });
}
