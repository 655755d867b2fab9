import { Module, type DynamicModule } from '@nestjs/common';
import {
  AuditProofs,
  AuditStore,
  Checkpointer,
  loadAuditConfig,
  loadOrCreateSigningKey,
  IndexedTimelineSource,
  type AuditConfig,
  type CheckpointSigner,
  type TimelineSource,
} from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { CLOCK, LEDGER_CONFIG, READ_MODEL_DB, type Clock, type LedgerConfig, type ReadModelDb } from '@ledger/platform';
import { AuditController } from './audit.controller';
import { AUDIT_CONFIG, AUDIT_OPTIONS, CHECKPOINT_SIGNER, TIMELINE_SOURCE, type AuditModuleOptions } from './audit.tokens';
import { CheckpointerLifecycle } from './checkpointer.lifecycle';
import { ExportController } from './export.controller';
import { TimelineController } from './timeline.controller';
import { VerificationService } from './verification.service';

/** Audit: timeline, export, verification, signed checkpoints and proofs. */
@Module({})
export class AuditModule {
  static forRoot(options: AuditModuleOptions): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController, ExportController, TimelineController],
      providers: [
        { provide: AUDIT_OPTIONS, useValue: options },
        { provide: AUDIT_CONFIG, useFactory: (): AuditConfig => loadAuditConfig(options.env ?? process.env) },
        { provide: AuditStore, useFactory: (rm: ReadModelDb) => new AuditStore(rm), inject: [READ_MODEL_DB] },
        {
          provide: CHECKPOINT_SIGNER,
          useFactory: (config: LedgerConfig): CheckpointSigner => loadOrCreateSigningKey(config.dataDir),
          inject: [LEDGER_CONFIG],
        },
        {
          provide: Checkpointer,
          useFactory: (store: EventStore, audit: AuditStore, signer: CheckpointSigner, config: AuditConfig, clock: Clock) =>
            new Checkpointer(store, audit, signer, {
              everyEvents: config.checkpointEveryEvents,
              everyMs: config.checkpointEverySeconds * 1000,
              now: () => clock.now(),
            }),
          inject: [EVENT_STORE, AuditStore, CHECKPOINT_SIGNER, AUDIT_CONFIG, CLOCK],
        },
        { provide: AuditProofs, useFactory: (store: EventStore, audit: AuditStore) => new AuditProofs(store, audit), inject: [EVENT_STORE, AuditStore] },
        {
          provide: TIMELINE_SOURCE,
          useFactory: (store: EventStore, rm: ReadModelDb): TimelineSource => new IndexedTimelineSource(store, rm),
          inject: [EVENT_STORE, READ_MODEL_DB],
        },
        CheckpointerLifecycle,
        VerificationService,
      ],
    };
  }
}
