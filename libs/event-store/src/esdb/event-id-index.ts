import type { EsdbGateway, EsdbRecord } from './esdb-client';

/**
 * Permanent idempotency and `getEvent` for EventStoreDB, whose own duplicate detection only
 * covers a short window (and nothing at all across streams). Before an event is appended,
 * its id is *claimed*: one small event in the stream `$ledger-eid-<uuid>` saying where the
 * event is going (stream, revision, the batch's first revision and event id) and what it
 * contains (content digest). The claim is a pointer, not the truth: the truth is what sits
 * in the target stream at that revision. See README.md for the full argument.
 */
export const CLAIM_STREAM_PREFIX = '$ledger-eid-';
export const CLAIM_TYPE = 'ledger-eid-claimed';

export interface ClaimTarget {
  streamId: string;
  revision: number;
  /** The batch lands atomically: if this slot holds someone else's event, the claim is stale. */
  firstRevision: number;
  firstEventId: string;
  contentDigest: string;
  appendId: string;
}

export interface Claim extends ClaimTarget {
  /** Revision of the claim in its own stream, for an optimistic takeover of a stale claim. */
  claimRevision: number;
}

export function claimStream(eventId: string): string {
  return `${CLAIM_STREAM_PREFIX}${eventId.toLowerCase()}`;
}

export class EventIdIndex {
  constructor(private readonly gateway: EsdbGateway) {}

  /** The latest claim on an event id, or null if it was never claimed. */
  async lookup(eventId: string): Promise<Claim | null> {
    const [record] = await this.gateway.readStream(claimStream(eventId), { direction: 'backwards', from: 'end', maxCount: 1 });
    return record ? toClaim(record) : null;
  }

  /**
   * Claims an id: `no_stream` for a first claim, or the revision of the stale claim being
   * taken over. Throws EsdbWrongRevision when someone else claimed it in between.
   */
  async claim(eventId: string, target: ClaimTarget, expected: 'no_stream' | number, claimEventId: string): Promise<void> {
    await this.gateway.append(claimStream(eventId), [{ eventId: claimEventId, type: CLAIM_TYPE, data: target, metadata: {} }], expected);
  }
}

function toClaim(record: EsdbRecord): Claim {
  const data = record.data as Partial<ClaimTarget> | undefined;
  if (!data || typeof data.streamId !== 'string' || typeof data.revision !== 'number') {
    throw new Error(`malformed claim ${record.eventId} in ${record.streamId}`);
  }
  return { ...(data as ClaimTarget), claimRevision: record.revision };
}
