import type { Figure } from './figures';

/** What a goal's text asks, read once from the form the suites write it in. */
export type Threshold = { minRatio: number } | { maxRssMb: number };

/**
 * The threshold of a goal: "≥ 2×" and "p99 ≤ 2× (ratio ≥ 0.5×)" ask for a ratio of at least
 * that much (lower-is-better figures are already inverted into ratios), "peak RSS < 256 MB"
 * for a peak resident set under it. Anything else is not understood: a verdict must never
 * be guessed from a goal written some new way.
 */
export function thresholdOf(goal: string): Threshold | undefined {
  const ratio = /\(ratio ≥ (\d+(?:\.\d+)?)×\)\s*$/.exec(goal) ?? /^≥ (\d+(?:\.\d+)?)×$/.exec(goal.trim());
  if (ratio) return { minRatio: Number(ratio[1]) };
  const rss = /^peak RSS < (\d+(?:\.\d+)?) MB$/.exec(goal.trim());
  if (rss) return { maxRssMb: Number(rss[1]) };
  return undefined;
}

/** Whether a figure meets its goal; undefined when it has none, it is not understood, or the figure lacks the number it needs. */
export function goalMet(figure: Figure): boolean | undefined {
  if (!figure.goal) return undefined;
  const threshold = thresholdOf(figure.goal);
  if (!threshold) return undefined;
  if ('minRatio' in threshold) {
    // Ratios are printed to two decimals; a goal is judged on what is printed, so a
    // reader checking the table by eye reaches the same verdict.
    return figure.ratio === undefined || !Number.isFinite(figure.ratio) ? undefined : Number(figure.ratio.toFixed(2)) >= threshold.minRatio;
  }
  return figure.peakRssMb === undefined ? undefined : figure.peakRssMb < threshold.maxRssMb;
}

const verdict = (met: boolean | undefined) => (met === undefined ? 'not judged' : met ? 'met' : '**missed**');

/** What a goal is judged on, as printed: the peak RSS for a memory goal, else the ratio. */
function measured(f: Figure): string {
  const threshold = f.goal === undefined ? undefined : thresholdOf(f.goal);
  if (threshold && 'maxRssMb' in threshold) return `${f.peakRssMb ?? '—'} MB`;
  return f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`;
}

/**
 * The bound measured for a goal figure in the same run: the one with the same goal id and
 * the same reference, else any with the same goal id.
 */
function boundFor(goal: Figure, figures: Figure[]): Figure | undefined {
  const bounds = figures.filter((f) => f.bound && f.goalId !== undefined && f.goalId === goal.goalId);
  return bounds.find((b) => b.reference === goal.reference) ?? bounds[0];
}

/**
 * A table of every goal of the run with its verdict and, where one was measured, the
 * verdict of its bound: a missed goal whose bound misses too is out of reach on this
 * machine however the ledger is written; one whose bound meets it is not.
 */
export function goalsTable(figures: Figure[]): string {
  const goals = figures.filter((f) => f.goal && !f.bound);
  if (goals.length === 0) return '';
  const rows = goals.map((f) => {
    const bound = boundFor(f, figures);
    const boundCell = bound ? `${measured(bound)}${bound.reference === f.reference ? '' : ` (against ${bound.reference})`}: ${verdict(goalMet(bound))}` : '—';
    return `| ${f.goal} | ${f.figure} | ${f.reference ?? '—'} | ${measured(f)} | ${verdict(goalMet(f))} | ${boundCell} |`;
  });
  return ['| goal | figure | reference | measured | verdict | bound, same run |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
