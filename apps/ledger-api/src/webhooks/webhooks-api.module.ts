import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { WEBHOOK_RUNTIME, WebhooksModule, type WebhookRuntime } from '@ledger/webhooks';
import { HealthRegistry, RUNS_ELSEWHERE } from '../health/health-contributor';
import { LiveController } from '../live/live.controller';
import { LiveStreams } from '../live/live-streams';
import { WebhooksController } from './webhooks.controller';

export interface WebhooksApiOptions {
  /** Run the dispatcher in this process (embedded mode). */
  background: boolean;
  env?: NodeJS.ProcessEnv;
}

const BACKGROUND = Symbol('WEBHOOKS_BACKGROUND');

@Injectable()
class WebhooksHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    @Inject(WEBHOOK_RUNTIME) private readonly runtime: WebhookRuntime,
    @Inject(BACKGROUND) private readonly background: boolean,
    private readonly streams: LiveStreams,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'webhooks',
      health: async () => ({
        ...(this.background ? this.runtime.dispatcher.health() : { ready: true, dispatcher: RUNS_ELSEWHERE }),
        liveStreams: this.streams.count,
      }),
    });
  }
}

/** The webhooks admin API and the live stream; the dispatcher itself comes from WebhooksModule. */
@Module({})
export class WebhooksApiModule {
  static forRoot(options: WebhooksApiOptions): DynamicModule {
    return {
      module: WebhooksApiModule,
      imports: [WebhooksModule.forRoot({ background: options.background, env: options.env })],
      controllers: [WebhooksController, LiveController],
      providers: [LiveStreams, WebhooksHealth, { provide: BACKGROUND, useValue: options.background }],
    };
  }
}
