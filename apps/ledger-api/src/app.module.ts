import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { QueriesModule } from './queries/queries.module';
import { LedgerCoreModule, type CoreOptions } from './core/ledger-core.module';
import { HealthController } from './health/health.controller';
import { API_KEYS, ApiKeyGuard } from './http/auth/api-key.guard';
import type { ApiKey } from './http/auth/api-keys';
import { ProblemFilter } from './http/problem.filter';
import type { SecurityConfig } from './http/security/security-config';
import { rateLimitGuards, SecurityModule } from './http/security/security.module';
import { StreamsController } from './reads/streams.controller';
import { ImportController } from './writes/import.controller';
import { JurisdictionActionsController } from './writes/jurisdiction-actions.controller';
import { RecordFixController } from './writes/record-fix.controller';
import { RegistrationsController } from './writes/registrations.controller';
import { SpeechController } from './writes/speech.controller';
import { WriteService } from './writes/write.service';
import { WebhooksApiModule } from './webhooks/webhooks-api.module';

export interface AppModuleOptions extends CoreOptions {
  apiKeys: ApiKey[];
  /** Run projector, dispatcher and watchers in this process (embedded mode). */
  background: boolean;
  security: SecurityConfig;
  /** Where feature modules read their own settings (LEDGER_WEBHOOK_* …); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** The ledger's HTTP app: a table of contents. Rules live in the libs. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [LedgerCoreModule.forRoot(options), SecurityModule.forRoot(options.security), AuditModule.forRoot({ background: options.background, env: options.env }),
        QueriesModule.forRoot({ background: options.background, env: options.env }),
        WebhooksApiModule.forRoot({ background: options.background, env: options.env })],
      controllers: [
        RegistrationsController,
        JurisdictionActionsController,
        SpeechController,
        RecordFixController,
        ImportController,
        StreamsController,
        HealthController,
      ],
      providers: [
        WriteService,
        { provide: API_KEYS, useValue: options.apiKeys },
        ...rateLimitGuards(options.security),
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
