import { collectDefaultMetrics, register } from 'prom-client';
import { isMainThread } from 'node:worker_threads';

let collecting = false;

/**
 * The process's own figures on /metrics: resident memory, CPU, heap, event-loop delay,
 * open handles (prom-client's defaults, read when scraped). Registered once per process
 * and only from its main thread: with LEDGER_BACKGROUND=thread the api merges the thread's
 * registry into its answer by summing, and a second copy would double the process's RSS.
 */
export function collectProcessMetrics(): void {
  if (collecting || !isMainThread) return;
  collecting = true;
  collectDefaultMetrics({ register });
}
