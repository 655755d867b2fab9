import type { BenchOptions, Figure } from '../lib/figures';
import { appendsBench } from './appends.bench';
import { projectionsBench } from './projections.bench';
import { auditBench } from './audit.bench';

/** Every benchmark suite, by name (`--only name`). */
export const SUITES: Record<string, (options: BenchOptions) => Promise<Figure[]>> = {
  appends: appendsBench,
  projections: projectionsBench,
  audit: auditBench,
};
