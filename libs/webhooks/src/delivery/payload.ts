import type { EventEnvelope } from '@ledger/domain';

/**
 * The Standard Webhooks body: `type`, `timestamp` and `data`. `data` is the whole
 * envelope, position and hash included, so a receiver can order, de-duplicate and verify
 * what it gets; `timestamp` is when the ledger recorded the event.
 */
export function webhookBody(event: EventEnvelope): string {
  return JSON.stringify({ type: event.type, timestamp: event.recordedAt, data: event });
}
