import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@ledger/domain';
import type { BrokenLink } from './broken-link';

interface StreamHead {
  revision: number;
  hash: string;
}

/**
 * Checks events fed in log order against each stream's hash chain: revisions run 0, 1, 2 …
 * without a gap, each prevHash names the previous event's hash, each hash is the hash of
 * the event's own fields, and positions strictly increase. Holds one small entry per
 * stream, so a million events are checked in constant memory per stream.
 */
export class ChainChecker {
  private readonly heads = new Map<string, StreamHead>();
  private lastPosition = -Infinity;

  check(event: EventEnvelope): BrokenLink | null {
    if (!(typeof event.position === 'number' && event.position > this.lastPosition)) {
      return {
        ...where(event),
        reason: 'position-order',
        expectedHash: null,
        storedHash: event.hash ?? null,
        message: `position ${String(event.position)} does not come after ${this.lastPosition}`,
      };
    }
    this.lastPosition = event.position;
    const head = this.heads.get(event.streamId);
    const expectedRevision = head ? head.revision + 1 : 0;
    const expectedPrev = head ? head.hash : GENESIS_HASH;
    if (event.revision !== expectedRevision) {
      return {
        ...where(event),
        reason: 'revision-gap',
        expectedHash: expectedPrev,
        storedHash: event.prevHash ?? null,
        message: `${event.streamId} holds revision ${String(event.revision)} where revision ${expectedRevision} was due`,
      };
    }
    if (event.prevHash !== expectedPrev) {
      return {
        ...where(event),
        reason: 'prev-hash-mismatch',
        expectedHash: expectedPrev,
        storedHash: event.prevHash ?? null,
        message: `prevHash of ${event.streamId}@${event.revision} does not name the previous event's hash`,
      };
    }
    const recomputed = computeEventHash(event);
    if (recomputed !== event.hash) {
      return {
        ...where(event),
        reason: 'hash-mismatch',
        expectedHash: recomputed,
        storedHash: event.hash ?? null,
        message: `${event.streamId}@${event.revision} does not hash to its stored hash: its content was changed`,
      };
    }
    if (head) {
      head.revision = event.revision;
      head.hash = event.hash;
    } else {
      this.heads.set(event.streamId, { revision: event.revision, hash: event.hash });
    }
    return null;
  }
}

function where(event: EventEnvelope): Pick<BrokenLink, 'streamId' | 'revision' | 'position' | 'eventId'> {
  return { streamId: event.streamId, revision: event.revision, position: event.position, eventId: event.eventId };
}
