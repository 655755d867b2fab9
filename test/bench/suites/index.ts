import type { BenchOptions, Figure } from '../lib/figures';
import { appendsBench } from './appends.bench';
import { projectionsBench } from './projections.bench';
import { auditBench } from './audit.bench';
import { storeBench } from './store.bench';
import { webhooksBench } from './webhooks.bench';

/** Every benchmark suite, by name (`--only name`). */
export const SUITES: Record<string, (options: BenchOptions) => Promise<Figure[]>> = {
  appends: appendsBench,
  store: storeBench,
  webhooks: webhooksBench,
  projections: projectionsBench,
  audit: auditBench,
};
