import { Gauge, register } from 'prom-client';
import type { ProjectionLag } from './projection-lag';

let source: ProjectionLag | null = null;
let measuring: Promise<void> | null = null;

type Collectable = Gauge<'projection'> & { collect?: () => Promise<void> };

function gauge(name: string, help: string): Collectable {
  // 'first': a process whose api and background thread both report it (from the same
  // checkpoints) shows it once when /metrics merges the two registries.
  return ((register.getSingleMetric(name) as Collectable | undefined) ??
    new Gauge({ name, help, labelNames: ['projection'], registers: [register], aggregator: 'first' })) as Collectable;
}

/**
 * Projection lag on /metrics. The gauges are process-wide (prom-client's default
 * registry) and measure the most recently registered source when scraped; the three
 * share one measurement per scrape.
 */
export function registerProjectionMetrics(lag: ProjectionLag): () => void {
  source = lag;
  const position = gauge('ledger_projection_position', 'Last log position applied by each projection');
  const lagEvents = gauge('ledger_projection_lag_events', 'Events recorded but not yet applied, per projection (counted up to 10000)');
  const lagSeconds = gauge('ledger_projection_lag_seconds', 'Seconds since the oldest event not yet applied was recorded, per projection');
  const collect = (): Promise<void> => {
    measuring ??= (async () => {
      const report = source ? await source.measure().catch(() => null) : null;
      for (const p of report?.projections ?? []) {
        position.set({ projection: p.name }, p.position);
        lagEvents.set({ projection: p.name }, p.lagEvents);
        lagSeconds.set({ projection: p.name }, p.lagSeconds);
      }
    })().finally(() => setTimeout(() => (measuring = null), 50));
    return measuring;
  };
  position.collect = collect;
  lagEvents.collect = collect;
  lagSeconds.collect = collect;
  return () => {
    if (source === lag) source = null;
  };
}
