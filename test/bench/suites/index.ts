import type { BenchOptions, Figure } from '../lib/figures';
import { appendsBench } from './appends.bench';

/** Every benchmark suite, by name (`--only name`). */
export const SUITES: Record<string, (options: BenchOptions) => Promise<Figure[]>> = {
  appends: appendsBench,
};
