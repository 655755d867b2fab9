import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { CLOCK, LEDGER_CONFIG, READ_MODEL_DB, type Clock, type LedgerConfig, type ReadModelDb } from '@ledger/platform';
import { Recorder } from '@ledger/recorder';
import { loadWebhookSettings, type WebhookSettings } from './config/webhook-settings';
import type { Resolver } from './guard/url-guard';
import { createWebhookRuntime, type WebhookRuntime } from './webhook-runtime';

export const WEBHOOK_RUNTIME = Symbol('WEBHOOK_RUNTIME');
const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');

export interface WebhooksModuleOptions {
  /** Run the dispatcher in this process (embedded api, ledger worker). */
  background: boolean;
  /** Where LEDGER_WEBHOOK_* settings are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  settings?: Partial<WebhookSettings>;
  resolver?: Resolver;
}

@Injectable()
class DispatcherLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(WEBHOOK_RUNTIME) private readonly runtime: WebhookRuntime,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhooksModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background) await this.runtime.dispatcher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}

/** Webhook subscriptions, delivery and the dispatcher: wiring only (see WebhookRuntime). */
@Module({})
export class WebhooksModule {
  static forRoot(options: WebhooksModuleOptions): DynamicModule {
    const settings = loadWebhookSettings(options.env ?? process.env, options.settings);
    const logger = new Logger('Webhooks');
    return {
      module: WebhooksModule,
      providers: [
        { provide: WEBHOOK_OPTIONS, useValue: options },
        {
          provide: WEBHOOK_RUNTIME,
          inject: [EVENT_STORE, READ_MODEL_DB, CLOCK, LEDGER_CONFIG, Recorder],
          useFactory: async (store: EventStore, readModel: ReadModelDb, clock: Clock, config: LedgerConfig, recorder: Recorder) => {
            const runtime = createWebhookRuntime({
              store,
              readModel,
              clock,
              recorder,
              dataDir: config.dataDir,
              settings,
              resolver: options.resolver,
              logError: (message, error) => logger.error(`${message}: ${(error as Error)?.message ?? String(error)}`),
            });
            await runtime.migrate();
            return runtime;
          },
        },
        DispatcherLifecycle,
      ],
      exports: [WEBHOOK_RUNTIME],
    };
  }
}
