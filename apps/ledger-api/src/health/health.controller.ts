import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { AggregatorRegistry, register } from 'prom-client';
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
  async metrics(): Promise<string> {
    if (this.registry.metricsSources.length === 0) return register.metrics();
    // With LEDGER_BACKGROUND=thread the deliveries are counted in the thread's registry:
    // merged with this one, counters and histograms summed, and the gauges both threads
    // measure from the same checkpoints taken once (their `aggregator` is 'first').
    const others = await Promise.all(this.registry.metricsSources.map((source) => source()));
    const all = [await register.getMetricsAsJSON(), ...others.filter((m): m is object[] => m !== undefined)];
    return AggregatorRegistry.aggregate(all).metrics();
  }
}
