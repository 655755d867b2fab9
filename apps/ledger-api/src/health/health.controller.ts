import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { register } from 'prom-client';
import { ConfiguredAccess, Public } from '../http/auth/roles.decorator';
import { HealthRegistry } from './health-contributor';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly registry: HealthRegistry,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Liveness and readiness: store position and each background part' })
  async health() {
    const headPosition = await this.store.headPosition();
    const parts: Record<string, unknown> = {};
    let ready = true;
    for (const c of this.registry.contributors) {
      const report = await c.health();
      parts[c.name] = report;
      ready = ready && report.ready !== false;
    }
    return { status: ready ? 'ok' : 'degraded', ready, store: { kind: this.store.capabilities.name, headPosition }, ...parts };
  }

  @Get('metrics')
  @ConfiguredAccess('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics' })
  metrics(): Promise<string> {
    return register.metrics();
  }
}
