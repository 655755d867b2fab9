export interface BackoffOptions {
  /** First wait, doubled after each failure (default 200 ms). */
  initialDelayMs?: number;
  /** Upper bound of one wait (default 10 s). */
  maxDelayMs?: number;
}

/** Wait before retry number `failures` (0-based): exponential with ±20 % jitter (so replicas do not retry in step), capped. */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelayMs ?? 200;
  const max = options.maxDelayMs ?? 10_000;
  const jittered = initial * 2 ** Math.min(failures, 20) * (0.8 + Math.random() * 0.4);
  return Math.max(1, Math.round(Math.min(max, jittered)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Something with the shape of pino's or console's `warn`, so the app can pass its own. */
export interface EsdbLogger {
  warn(message: string): void;
  info?(message: string): void;
}

export const stderrLogger: EsdbLogger = {
  warn: (message) => process.stderr.write(`ledger: ${message}\n`),
  info: (message) => process.stderr.write(`ledger: ${message}\n`),
};
