import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { collectProcessMetrics, openReadModelDb, loadConfig, StartupError, systemClock, type Clock, type LedgerConfig } from '@ledger/platform';
import type { EventStore } from '@ledger/event-store';
import { randomUUID } from 'node:crypto';
import { ProjectionsService } from '@ledger/projections';
import { AppModule } from './app.module';
import { startBackgroundThread, type BackgroundThread } from './core/background-thread';
import { openEventStore } from './core/open-store';
import { HealthRegistry } from './health/health-contributor';
import { isLoopback, loadApiKeys, type ApiKey } from './http/auth/api-keys';
import { registerJsonParser } from './http/json-body.parser';
import { JsonLogger } from './http/json-logger';
import { setupOpenApi } from './http/openapi';
import { collectRoutes, frameworkErrors, hardenHttp, type RouteEntry } from './http/security/harden-http';
import { loadSecurityConfig } from './http/security/security-config';
import { ledgerValidationPipe } from './http/validation.pipe';
import { NDJSON_TYPES } from './writes/import.controller';

export const JSON_BODY_LIMIT = 1024 * 1024;

export interface CreateAppOptions {
  env?: NodeJS.ProcessEnv;
  config?: Partial<LedgerConfig>;
  clock?: Clock;
  apiKeys?: ApiKey[];
  /** Run the background services on the api thread (default: LEDGER_BACKGROUND: true; `thread` starts a worker thread for them, false leaves them out). */
  background?: boolean;
  /** An already open store (tests of other adapters). */
  store?: EventStore;
  logger?: JsonLogger | false;
}

export interface LedgerApp {
  app: NestFastifyApplication;
  config: LedgerConfig;
  store: EventStore;
  openMode: boolean;
  /** Every route served (method + URL pattern), for tests that must cover them all. */
  routes: readonly RouteEntry[];
  close(): Promise<void>;
}

/** Opens the stores, then builds the Nest app on Fastify. Startup problems throw StartupError. */
export async function createApp(options: CreateAppOptions = {}): Promise<LedgerApp> {
  const env = options.env ?? process.env;
  const config = loadConfig(env, options.config);
  const apiKeys = options.apiKeys ?? loadApiKeys(env);
  const security = loadSecurityConfig(env);
  if (apiKeys.length === 0 && !isLoopback(config.host)) {
    throw new StartupError(
      `refusing to listen on ${config.host} with no API keys: set LEDGER_API_KEYS (name:role+role:token) or bind HOST=127.0.0.1`,
    );
  }
  const clock = options.clock ?? systemClock;
  collectProcessMetrics();
  const store = options.store ?? (await openEventStore(config, clock));
  const readModel = await openReadModelDb(config).catch(async (error) => {
    if (!options.store) await store.close();
    throw error;
  });
  const logger = options.logger === undefined ? new JsonLogger(config.logLevel) : options.logger;
  const adapter = new FastifyAdapter({
    bodyLimit: JSON_BODY_LIMIT,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    genReqId: () => randomUUID(),
    requestTimeout: 30_000,
    frameworkErrors,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, clock, store, readModel, apiKeys, security, env, background: options.background ?? config.background }),
    adapter,
    { logger: logger || false, abortOnError: false, bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  const routes = collectRoutes(fastify);
  await hardenHttp(app, security);
  registerJsonParser(fastify, JSON_BODY_LIMIT);
  // NDJSON imports are streamed to the importer, not buffered: hand the raw stream on.
  fastify.addContentTypeParser(NDJSON_TYPES, (_request, payload, done) => done(null, payload));
  app.useGlobalPipes(ledgerValidationPipe());
  setupOpenApi(app);
  await app.init();
  await fastify.ready();
  let thread: BackgroundThread | undefined;
  if (options.background === undefined && config.backgroundThread) {
    thread = await startBackgroundThread(env, store).catch(async (error) => {
      await app.close();
      await readModel.close();
      if (!options.store) await store.close();
      throw error;
    });
    // The queries' read-your-writes waits follow the positions the thread sends.
    app.get(ProjectionsService).tracker.follow(thread.positions);
    app.get(HealthRegistry).register({ name: 'backgroundThread', health: thread.health });
    app.get(HealthRegistry).registerMetrics(thread.metrics);
  }
  return {
    app,
    config,
    store,
    openMode: apiKeys.length === 0,
    routes,
    close: async () => {
      await thread?.close();
      await app.close();
      await readModel.close();
      if (!options.store) await store.close();
    },
  };
}
