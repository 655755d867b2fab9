import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { CLOCK, LEDGER_CONFIG, READ_MODEL_DB, type Clock, type LedgerConfig, type ReadModelDb } from '@ledger/platform';
import { Importer, Recorder } from '@ledger/recorder';
import { HealthRegistry } from '../health/health-contributor';

export interface CoreOptions {
  config: LedgerConfig;
  clock: Clock;
  store: EventStore;
  readModel: ReadModelDb;
}

/**
 * The process-wide parts every feature uses: configuration, clock, the event store, the
 * read-model database, and the write side. Opened by the caller (createApp) so that
 * startup errors are reported before Nest starts.
 */
@Global()
@Module({})
export class LedgerCoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: LEDGER_CONFIG, useValue: options.config },
      { provide: CLOCK, useValue: options.clock },
      { provide: EVENT_STORE, useValue: options.store },
      { provide: READ_MODEL_DB, useValue: options.readModel },
      HealthRegistry,
      { provide: Recorder, useFactory: (store: EventStore, clock: Clock) => new Recorder(store, clock), inject: [EVENT_STORE, CLOCK] },
      {
        provide: Importer,
        useFactory: (store: EventStore, recorder: Recorder, clock: Clock) => new Importer(store, recorder, clock),
        inject: [EVENT_STORE, Recorder, CLOCK],
      },
    ];
    return { module: LedgerCoreModule, providers, exports: providers };
  }
}
