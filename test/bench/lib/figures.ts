import { readFileSync } from 'node:fs';

/** One line of the results table: a figure next to its reference, taken in the same run. */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  reference?: string;
  referenceValue?: number;
  /** value / referenceValue (or reference / value for "lower is better" units). */
  ratio?: number;
  goal?: string;
  /**
   * Names the goal a figure measures ("appends-1", "rebuild-100k"), so that the
   * goals table can put each goal next to the bound measured for it.
   */
  goalId?: string;
  /** A bound: what the goal could reach at best on this machine, not a figure of the ledger's. */
  bound?: boolean;
  /** Whether the goal is met, judged by the report (goals.ts). */
  met?: boolean;
  peakRssMb?: number;
  note?: string;
}

export interface BenchOptions {
  quick: boolean;
  /** Runs per figure; the median is reported. */
  runs: number;
  workDir: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` n times and returns the median of what it measures. */
export async function medianOf(n: number, fn: (run: number) => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(await fn(i));
  return median(values);
}

export function ratioFigure(f: Omit<Figure, 'ratio'>, lowerIsBetter = false): Figure {
  const ratio = f.referenceValue ? (lowerIsBetter ? f.referenceValue / f.value : f.value / f.referenceValue) : undefined;
  return { ...f, ratio };
}

/**
 * The highest resident set a child process has had so far (Linux: VmHWM in /proc), for
 * figures measured against a server in a process of its own; undefined elsewhere.
 */
export function childPeakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/** Peak RSS of this process while `fn` runs (sampled every 20 ms), in MB. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRssMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}
