import { Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { ProjectionsModule, ProjectionsService, type ProjectionsModuleOptions } from '@ledger/projections';
import { HealthRegistry } from '../health/health-contributor';
import { EntitiesController } from './entities.controller';
import { JurisdictionsController } from './jurisdictions.controller';
import { OfficialsController } from './officials.controller';
import { ProjectionsAdminController } from './projections-admin.controller';

@Injectable()
class ProjectionsHealth implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    private readonly projections: ProjectionsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({ name: 'projections', health: () => this.projections.health() });
  }
}

/** The analysts' read side: views built by the projections (run here when embedded, else by ledger-worker). */
@Module({})
export class QueriesModule {
  static forRoot(options: ProjectionsModuleOptions): DynamicModule {
    return {
      module: QueriesModule,
      imports: [ProjectionsModule.forRoot(options)],
      controllers: [JurisdictionsController, OfficialsController, EntitiesController, ProjectionsAdminController],
      providers: [ProjectionsHealth],
    };
  }
}
