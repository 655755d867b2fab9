import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Checkpointer, type AuditConfig } from '@ledger/audit';
import { HealthRegistry } from '../health/health-contributor';
import { AUDIT_CONFIG, AUDIT_OPTIONS, type AuditModuleOptions } from './audit.tokens';

/** Starts the checkpointer with the app and stops it before the stores close. */
@Injectable()
export class CheckpointerLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly checkpointer: Checkpointer,
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditModuleOptions,
    private readonly health: HealthRegistry,
  ) {}

  get running(): boolean {
    return this.options.background && this.config.checkpointer;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.checkpointer.init();
    this.health.register({ name: 'auditCheckpointer', health: async () => ({ running: this.running, treeSize: this.checkpointer.treeSize }) });
    if (this.running) await this.checkpointer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.checkpointer.stop();
  }
}
