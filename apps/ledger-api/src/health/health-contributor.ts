import { Injectable } from '@nestjs/common';

export interface HealthContributor {
  readonly name: string;
  health(): Promise<{ ready?: boolean; [detail: string]: unknown }>;
}

/** What a part's /health entry says in an api whose background work runs elsewhere. */
export const RUNS_ELSEWHERE = 'runs in ledger worker or the background thread';

/** Prometheus metrics kept outside this thread's registry (the background thread's), as `getMetricsAsJSON` gives them. */
export type MetricsSource = () => Promise<object[] | undefined>;

/**
 * Background parts (projector, dispatcher…) register here in onModuleInit to appear in
 * /health; a background thread also adds its metrics, which /metrics merges with the api's.
 */
@Injectable()
export class HealthRegistry {
  readonly contributors: HealthContributor[] = [];
  readonly metricsSources: MetricsSource[] = [];
  register(contributor: HealthContributor): void {
    this.contributors.push(contributor);
  }
  registerMetrics(source: MetricsSource): void {
    this.metricsSources.push(source);
  }
}
