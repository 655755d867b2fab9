import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@ledger/domain';

/** A small valid event for store-level tests (the store does not check the catalogue). */
export function newEvent(type = 'TestHappened', data: Record<string, unknown> = {}, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    occurredAt: '2018-01-24',
    occurredAtPrecision: 'day',
    data: { n: 1, ...data },
    metadata: { recordedBy: 'test', schemaVersion: 1 },
    ...overrides,
  };
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10000, what = 'condition'): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
