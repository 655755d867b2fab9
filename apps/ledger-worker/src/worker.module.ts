import { Module, type DynamicModule } from '@nestjs/common';
import { AuditCoreModule } from '@ledger/audit';
import { ProjectionsModule } from '@ledger/projections';
import { WebhooksModule } from '@ledger/webhooks';
import { LedgerCoreModule, type CoreOptions } from '../../ledger-api/src/core/ledger-core.module';

export interface WorkerModuleOptions extends CoreOptions {
  env?: NodeJS.ProcessEnv;
}

/**
 * The ledger's background work as a process of its own: the same core providers as the
 * api (store, read model, clock, recorder) and each area's background module. With
 * PostgreSQL read models several workers may run; the projector lease lets one project.
 */
@Module({})
export class WorkerModule {
  static forRoot(options: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [LedgerCoreModule.forRoot(options), ProjectionsModule.forRoot({ background: true, env: options.env }),
        WebhooksModule.forRoot({ background: true, env: options.env }), AuditCoreModule.forRoot({ background: true, env: options.env })],
    };
  }
}
