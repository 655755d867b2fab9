import { Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { AuditCoreModule, CheckpointerLifecycle } from '@ledger/audit';
import { HealthRegistry, RUNS_ELSEWHERE } from '../health/health-contributor';
import { AuditController } from './audit.controller';
import { ExportController } from './export.controller';
import { TimelineController } from './timeline.controller';
import { VerificationService } from './verification.service';

export interface AuditModuleOptions {
  /** Run the checkpointer in this process (embedded mode), unless LEDGER_AUDIT_CHECKPOINTER=off. */
  background: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * Shows the checkpointer in /health. Where it runs elsewhere (the background thread, whose
 * own report is under backgroundThread, or `ledger worker`), this process's idle one would
 * read as stopped at tree size 0, so the entry says where it runs instead.
 */
@Injectable()
class AuditHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly lifecycle: CheckpointerLifecycle,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'auditCheckpointer',
      health: async () => (this.lifecycle.runsHere ? this.lifecycle.health() : { checkpointer: RUNS_ELSEWHERE }),
    });
  }
}

/** Audit routes: timeline, export, verification, signed checkpoints and proofs. */
@Module({})
export class AuditModule {
  static forRoot(options: AuditModuleOptions): DynamicModule {
    return {
      module: AuditModule,
      imports: [AuditCoreModule.forRoot(options)],
      controllers: [AuditController, ExportController, TimelineController],
      providers: [VerificationService, AuditHealth],
    };
  }
}
