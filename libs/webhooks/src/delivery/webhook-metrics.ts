import { Counter, Gauge, Histogram, register, type Metric } from 'prom-client';

/** prom-client's default registry is process-wide: reuse a metric another app instance made. */
function once<T extends Metric>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

export const webhookMetrics = {
  attempts: once(
    'ledger_webhook_attempts_total',
    () => new Counter({ name: 'ledger_webhook_attempts_total', help: 'Webhook delivery attempts by outcome', labelNames: ['outcome'] }),
  ),
  latency: once(
    'ledger_webhook_attempt_seconds',
    () =>
      new Histogram({
        name: 'ledger_webhook_attempt_seconds',
        help: 'Duration of webhook delivery attempts',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30],
      }),
  ),
  running: once(
    'ledger_webhook_subscriptions_running',
    () => new Gauge({ name: 'ledger_webhook_subscriptions_running', help: 'Subscriptions this process is delivering for' }),
  ),
};
