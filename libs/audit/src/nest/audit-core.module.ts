import { Inject, Injectable, Logger, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { CLOCK, LEDGER_CONFIG, READ_MODEL_DB, type Clock, type LedgerConfig, type ReadModelDb } from '@ledger/platform';
import { loadAuditConfig, type AuditConfig } from '../audit-config';
import { AuditStore } from '../checkpoints/audit-store';
import { Checkpointer } from '../checkpoints/checkpointer';
import { loadOrCreateSigningKey, type CheckpointSigner } from '../checkpoints/signing-key';
import { AuditProofs } from '../merkle/audit-proofs';
import { IndexedTimelineSource } from '../timeline/indexed-timeline-source';
import type { TimelineSource } from '../timeline/timeline-reader';

export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');
export const CHECKPOINT_SIGNER = Symbol('CHECKPOINT_SIGNER');
export const TIMELINE_SOURCE = Symbol('TIMELINE_SOURCE');
const AUDIT_OPTIONS = Symbol('AUDIT_OPTIONS');

export interface AuditCoreOptions {
  /** Run the checkpointer in this process (embedded api, ledger worker), unless LEDGER_AUDIT_CHECKPOINTER=off. */
  background: boolean;
  /** Where LEDGER_AUDIT_* settings are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Starts the checkpointer with the app and stops it before the stores close. */
@Injectable()
export class CheckpointerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpointer');

  constructor(
    private readonly checkpointer: Checkpointer,
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditCoreOptions,
  ) {}

  /** Whether the background work (this checkpointer with it) runs in this process at all. */
  get runsHere(): boolean {
    return this.options.background;
  }

  /** Whether this process keeps the Merkle record (and may bring it up to date before answering). */
  get running(): boolean {
    return this.options.background && this.config.checkpointer;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.checkpointer.init();
    if (this.running) {
      await this.checkpointer.start((error) => this.logger.error(`checkpointer: ${(error as Error)?.message ?? String(error)}`));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.checkpointer.stop();
  }

  health(): { running: boolean; treeSize: number } {
    return { running: this.running, treeSize: this.checkpointer.treeSize };
  }
}

/** The audit record, signing key, checkpointer, proofs and timeline source: wiring only (api and worker). */
@Module({})
export class AuditCoreModule {
  static forRoot(options: AuditCoreOptions): DynamicModule {
    const config = loadAuditConfig(options.env ?? process.env);
    const providers = [
      { provide: AUDIT_OPTIONS, useValue: options },
      { provide: AUDIT_CONFIG, useValue: config },
      { provide: AuditStore, useFactory: (rm: ReadModelDb) => new AuditStore(rm), inject: [READ_MODEL_DB] },
      {
        provide: CHECKPOINT_SIGNER,
        useFactory: (ledger: LedgerConfig): CheckpointSigner => loadOrCreateSigningKey(ledger.dataDir),
        inject: [LEDGER_CONFIG],
      },
      {
        provide: Checkpointer,
        useFactory: (store: EventStore, audit: AuditStore, signer: CheckpointSigner, clock: Clock) =>
          new Checkpointer(store, audit, signer, {
            everyEvents: config.checkpointEveryEvents,
            everyMs: config.checkpointEverySeconds * 1000,
            now: () => clock.now(),
          }),
        inject: [EVENT_STORE, AuditStore, CHECKPOINT_SIGNER, CLOCK],
      },
      { provide: AuditProofs, useFactory: (store: EventStore, audit: AuditStore) => new AuditProofs(store, audit), inject: [EVENT_STORE, AuditStore] },
      {
        provide: TIMELINE_SOURCE,
        useFactory: (store: EventStore, rm: ReadModelDb): TimelineSource => new IndexedTimelineSource(store, rm),
        inject: [EVENT_STORE, READ_MODEL_DB],
      },
      CheckpointerLifecycle,
    ];
    return { module: AuditCoreModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}
