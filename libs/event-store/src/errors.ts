import { LedgerError } from '@ledger/domain';
import type { ExpectedRevision } from './event-store.port';

/** The stream is not at the revision the writer expected. `actual` is -1 for no stream. */
export class RevisionConflictError extends LedgerError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number,
  ) {
    super('STREAM.REVISION_CONFLICT', `${streamId} is at revision ${actual}, not ${String(expected)}.`, {
      streamId,
      expectedRevision: expected,
      actualRevision: actual,
    });
    this.name = 'RevisionConflictError';
  }
}

/** An event id was appended before with different content. */
export class EventIdReusedError extends LedgerError {
  constructor(readonly eventId: string) {
    super('EVENT.ID_REUSED', `Event id ${eventId} was used before with a different body.`, { eventId });
    this.name = 'EventIdReusedError';
  }
}

export class StoreUnavailableError extends LedgerError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('STORE.UNAVAILABLE', message, details);
    this.name = 'StoreUnavailableError';
  }
}

export function checkExpectedRevision(streamId: string, expected: ExpectedRevision | undefined, actual: number): void {
  const ok =
    expected === undefined ||
    expected === 'any' ||
    (expected === 'no-stream' && actual === -1) ||
    (expected === 'exists' && actual >= 0) ||
    expected === actual;
  if (!ok) throw new RevisionConflictError(streamId, expected!, actual);
}
