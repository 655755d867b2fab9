import { computeEventHash, contentDigest, GENESIS_HASH, unsealedEnvelope, ValidationFailed, type EventEnvelope, type NewEvent } from '@ledger/domain';
import { randomUUID } from 'node:crypto';
import type { Observable } from 'rxjs';
import { checkExpectedRevision, EventIdReusedError, StoreUnavailableError } from '../errors';
import {
  BEFORE_FIRST,
  type AppendOptions,
  type AppendRequest,
  type AppendResult,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
} from '../event-store.port';
import { sleep, stderrLogger, type BackoffOptions, type EsdbLogger } from './backoff';
import { describeEsdb } from './describe-esdb';
import {
  EsdbAccessDenied,
  EsdbGateway,
  EsdbUnavailable,
  EsdbWrongRevision,
  type EsdbPosition,
  type EsdbRecord,
} from './esdb-client';
import { isLedgerRecord, positionNumber, storedMetadata, toEnvelope, toNumber, toProposedEvent } from './esdb-event-mapping';
import { filteredRead, followAll } from './esdb-subscription';
import { EventIdIndex, type Claim } from './event-id-index';
import { KeyedLock } from './keyed-lock';
import { mapLimit, settleLimit } from './map-limit';

export interface EsdbEventStoreOptions {
  /** `esdb://host:2113?tls=false`, `esdb://a:2113,b:2113,c:2113`, `esdb+discover://…` */
  connectionString: string;
  /** Record time comes from here; tests pass a fixed clock. */
  clock?: () => Date;
  logger?: EsdbLogger;
  /** Backoff of a live subscription reconnecting after a lost connection. */
  resubscribe?: BackoffOptions;
  /** How many times one append re-reads and retries after racing another writer (default 25). */
  maxAppendAttempts?: number;
}

interface Head {
  revision: number;
  hash: string;
  recordedAt: string;
}

type Plan = { kind: 'repeat'; result: AppendResult } | { kind: 'write'; head: Head | null; takeover: Map<string, number> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Retries of one call on a transient error (not-leader after an election, a dropped connection). */
const TRANSIENT_RETRIES = 2;
/** Calls one append keeps in flight for its per-event bookkeeping. */
const IN_FLIGHT = 32;

/**
 * The EventStore port on EventStoreDB. One append is: read the stream's last event (its
 * revision and hash), claim the event ids (permanent idempotency, see event-id-index.ts),
 * compute the hash chain, and append with exactly the revision that was read, so that the
 * chain can never fork. Reads of $all are filtered on the server. See README.md.
 */
export class EsdbEventStore implements EventStore {
  readonly capabilities = { atomicMultiStream: false, name: 'esdb' };
  /** Host list from the connection string (no credentials), for messages. */
  readonly where: string;
  private readonly gateway: EsdbGateway;
  private readonly index: EventIdIndex;
  private readonly clock: () => Date;
  private readonly logger: EsdbLogger;
  private readonly maxAppendAttempts: number;
  private readonly followers = new Set<() => void>();
  private readonly streamLock = new KeyedLock();
  private lastRecordedAt = 0;
  private closed = false;

  constructor(private readonly options: EsdbEventStoreOptions) {
    this.where = describeEsdb(options.connectionString);
    this.gateway = EsdbGateway.connect(options.connectionString);
    this.index = new EventIdIndex(this.gateway);
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? stderrLogger;
    this.maxAppendAttempts = options.maxAppendAttempts ?? 25;
  }

  /** One cheap call, raw errors: used by connectEsdb to tell "cannot reach" from "refused". */
  async probe(): Promise<void> {
    await this.gateway.readAllBackwards('end', 1);
  }

  // ---------------------------------------------------------------- appending

  async append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(streamId, events);
    return this.appendChecked(streamId, events, options.expectedRevision ?? 'any');
  }

  /**
   * The append loop. `inspected` (from a batch preflight) stands in for the first round's
   * reads: if it is stale the exact-revision write fails and the next round reads afresh.
   */
  private appendChecked(streamId: string, events: NewEvent[], expected: ExpectedRevision, inspected?: Plan): Promise<AppendResult> {
    const appendId = randomUUID();
    return this.streamLock.run(streamId, () =>
      this.transient(`append to ${streamId}`, async () => {
        for (let attempt = 1; ; attempt++) {
          const plan = attempt === 1 && inspected ? inspected : await this.inspect(streamId, events, appendId);
          if (plan.kind === 'repeat') return plan.result;
          checkExpectedRevision(streamId, expected, plan.head?.revision ?? -1);
          const written = await this.write(streamId, events, plan.head, plan.takeover, appendId);
          if (written) return written;
          if (attempt >= this.maxAppendAttempts) {
            throw new StoreUnavailableError(`append to ${streamId} kept racing other writers; gave up after ${attempt} attempts`, {
              streamId,
            });
          }
          // Raced a writer in another process: step aside a little, more each time, so that replicas do not collide in step.
          await sleep(Math.random() * 5 * attempt);
        }
      }),
    );
  }

  /**
   * EventStoreDB has no multi-stream transaction. Non-atomic: the requests in order. Atomic,
   * the best available: every request is checked first (idempotency and expected revision,
   * with earlier requests of the batch counted in), and only then written, in order. A
   * writer racing in between can still fail a later request after earlier ones committed;
   * retrying the same call (same event ids) then completes it, because repeats are no-ops.
   */
  async appendMany(requests: AppendRequest[], options: { atomic?: boolean } = {}): Promise<AppendResult[]> {
    this.assertOpen();
    for (const r of requests) validateAppend(r.streamId, r.events);
    const inspected = options.atomic ? await this.preflight(requests) : [];
    const results: AppendResult[] = [];
    const touched = new Set<string>();
    for (const [i, r] of requests.entries()) {
      // A preflight inspection is reusable only while no earlier request of the batch has moved that stream.
      const reuse = touched.has(r.streamId) ? undefined : inspected[i];
      results.push(await this.appendChecked(r.streamId, r.events, r.expectedRevision ?? 'any', reuse));
      touched.add(r.streamId);
    }
    return results;
  }

  /** Inspects every request (in parallel), then checks expected revisions in batch order. */
  private async preflight(requests: AppendRequest[]): Promise<Plan[]> {
    const seen = new Set<string>();
    for (const r of requests) {
      for (const e of r.events) {
        if (seen.has(e.eventId.toLowerCase())) throw new EventIdReusedError(e.eventId);
        seen.add(e.eventId.toLowerCase());
      }
    }
    const inspections = await this.transient('check a batch', () =>
      mapLimit(requests, 8, (r) => this.inspect(r.streamId, r.events, randomUUID())),
    );
    const heads = new Map<string, number>();
    requests.forEach((r, i) => {
      const plan = inspections[i];
      const known = heads.get(r.streamId);
      if (plan.kind === 'repeat') {
        heads.set(r.streamId, Math.max(known ?? -1, plan.result.revision));
        return;
      }
      const actual = known ?? plan.head?.revision ?? -1;
      checkExpectedRevision(r.streamId, r.expectedRevision ?? 'any', actual);
      heads.set(r.streamId, actual + r.events.length);
    });
    return inspections;
  }

  /**
   * What an append would do now: return an earlier identical append (a repeat), refuse a
   * reused id, or write after the head it read. The caller checks the expected revision.
   */
  private async inspect(streamId: string, events: NewEvent[], appendId: string): Promise<Plan> {
    // The head is read before the claims' slots are looked at: see README, "Why the order matters".
    const [head, claims] = await Promise.all([
      this.readHead(streamId),
      mapLimit(events, IN_FLIGHT, (e) => this.index.lookup(e.eventId)),
    ]);
    let takeover = new Map<string, number>();
    if (claims.some((c) => c !== null)) {
      const resolved = await this.resolveClaims(streamId, events, claims, appendId);
      if (resolved.kind === 'repeat') return resolved;
      takeover = resolved.takeover;
    }
    return { kind: 'write', head, takeover };
  }

  /**
   * What earlier claims on these ids mean. A claim's target slot holding the event: it was
   * stored (a repeat, or a reused id if the content differs). The batch's first slot
   * holding someone else's event: the claimed write can never land (stale; take it over).
   * Neither: that write may still be in flight — same content may take it over (both
   * writes then race for the same slot and exactly one wins), other content is refused.
   */
  private async resolveClaims(
    streamId: string,
    events: NewEvent[],
    claims: (Claim | null)[],
    appendId: string,
  ): Promise<{ kind: 'repeat'; result: AppendResult } | { kind: 'fresh'; takeover: Map<string, number> }> {
    const slots = new Map<string, Promise<EsdbRecord | null>>();
    const slot = (stream: string, revision: number) => {
      const key = `${revision}@${stream}`;
      if (!slots.has(key)) slots.set(key, this.readSlot(stream, revision));
      return slots.get(key)!;
    };
    for (const c of claims) if (c) void (slot(c.streamId, c.revision), slot(c.streamId, c.firstRevision));
    await Promise.all(slots.values());

    const takeover = new Map<string, number>();
    const stored: (EsdbRecord | null)[] = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const claim = claims[i];
      stored.push(null);
      if (!claim) continue;
      const digest = contentDigest(streamId, event);
      const at = await slot(claim.streamId, claim.revision);
      if (at && sameId(at.eventId, event.eventId)) {
        if (at.streamId !== streamId || storedMetadata(at)?.contentDigest !== digest) throw new EventIdReusedError(event.eventId);
        stored[i] = at;
        continue;
      }
      const first = await slot(claim.streamId, claim.firstRevision);
      const stale = (first !== null && !sameId(first.eventId, claim.firstEventId)) || at !== null;
      if (!stale && (claim.streamId !== streamId || claim.contentDigest !== digest)) throw new EventIdReusedError(event.eventId);
      takeover.set(event.eventId, claim.claimRevision);
    }
    if (stored.every((r) => r === null)) return { kind: 'fresh', takeover };
    const missing = stored.findIndex((r) => r === null);
    if (missing >= 0) throw new EventIdReusedError(events[missing].eventId); // a partial repeat is not a repeat
    const originals = (stored as EsdbRecord[]).map(toEnvelope);
    const last = originals[originals.length - 1];
    const ours = (stored as EsdbRecord[]).every((r) => storedMetadata(r)?.appendId === appendId);
    return { kind: 'repeat', result: { revision: last.revision, position: last.position, events: originals, idempotent: !ours } };
  }

  /** Claims the ids, then appends at exactly the head that was read. Null: raced; plan again. */
  private async write(
    streamId: string,
    events: NewEvent[],
    head: Head | null,
    takeover: Map<string, number>,
    appendId: string,
  ): Promise<AppendResult | null> {
    const firstRevision = (head?.revision ?? -1) + 1;
    const recordedAt = this.nextRecordedAt(head?.recordedAt);
    let prevHash = head?.hash ?? GENESIS_HASH;
    const envelopes: Omit<EventEnvelope, 'position'>[] = events.map((event, i) => {
      const unhashed = unsealedEnvelope(event, { streamId, revision: firstRevision + i, recordedAt, prevHash });
      const hash = computeEventHash(unhashed);
      prevHash = hash;
      return { ...unhashed, hash };
    });
    const digests = events.map((e) => contentDigest(streamId, e));

    const claimed = await settleLimit(events, IN_FLIGHT, (e, i) =>
        this.index.claim(
          e.eventId,
          {
            streamId,
            revision: firstRevision + i,
            firstRevision,
            firstEventId: events[0].eventId,
            contentDigest: digests[i],
            appendId,
          },
          takeover.get(e.eventId) ?? 'no_stream',
          randomUUID(),
        ),
    );
    for (const c of claimed) {
      if (c.status === 'rejected') {
        if (c.reason instanceof EsdbWrongRevision) return null; // claimed by someone else meanwhile
        throw c.reason;
      }
    }

    let outcome;
    try {
      const proposed = envelopes.map((e, i) => toProposedEvent(e, digests[i], appendId));
      outcome = await this.gateway.append(streamId, proposed, head ? head.revision : 'no_stream');
    } catch (error) {
      if (error instanceof EsdbWrongRevision) return null;
      throw error;
    }
    // No position: the server recognised the ids at that revision as a repeat of a write it has.
    if (!outcome.position) return null;

    const positions = await this.positionsOf(streamId, envelopes, outcome.position);
    const stored = envelopes.map((e, i) => ({ ...e, position: positions[i] }) as EventEnvelope);
    const last = stored[stored.length - 1];
    return { revision: last.revision, position: last.position, events: stored, idempotent: false };
  }

  /** The append answers with the last event's position; a batch reads the others back. */
  private async positionsOf(streamId: string, envelopes: Omit<EventEnvelope, 'position'>[], last: EsdbPosition): Promise<number[]> {
    if (envelopes.length === 1) return [toNumber(last.commit)];
    const records = await this.gateway.readStream(streamId, {
      direction: 'forwards',
      from: envelopes[0].revision,
      maxCount: envelopes.length,
    });
    return envelopes.map((e, i) => {
      const record = records[i];
      if (!record || !sameId(record.eventId, e.eventId)) throw new Error(`${streamId}@${e.revision} changed under an append`);
      return positionNumber(record);
    });
  }

  /** Record time never runs backwards in a stream, nor inside this process. */
  private nextRecordedAt(previous: string | undefined): string {
    const now = Math.max(this.clock().getTime(), this.lastRecordedAt, previous ? Date.parse(previous) : 0);
    this.lastRecordedAt = now;
    return new Date(now).toISOString();
  }

  private async readHead(streamId: string): Promise<Head | null> {
    const [record] = await this.gateway.readStream(streamId, { direction: 'backwards', from: 'end', maxCount: 1 });
    if (!record) return null;
    const m = storedMetadata(record);
    if (!m) throw new Error(`${streamId} holds events the ledger did not write (${record.eventId})`);
    return { revision: record.revision, hash: m.hash, recordedAt: m.recordedAt };
  }

  private async readSlot(streamId: string, revision: number): Promise<EsdbRecord | null> {
    const [record] = await this.gateway.readStream(streamId, { direction: 'forwards', from: revision, maxCount: 1 });
    return record && record.revision === revision ? record : null;
  }

  // ---------------------------------------------------------------- reading

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const records = await this.transient(`read ${streamId}`, () =>
      this.gateway.readStream(streamId, {
        direction: backwards ? 'backwards' : 'forwards',
        from: options.fromRevision ?? (backwards ? 'end' : 'start'),
        maxCount: options.limit ?? Number.MAX_SAFE_INTEGER,
      }),
    );
    return records.map(toEnvelope);
  }

  async readAll(options: ReadAllOptions = {}): Promise<EventEnvelope[]> {
    this.assertOpen();
    const { after = BEFORE_FIRST, limit = Number.POSITIVE_INFINITY, ...filter } = options;
    if (limit <= 0) return [];
    return this.transient('read $all', () => filteredRead(this.gateway, after, filter, limit));
  }

  subscribe(after: number, filter: EventFilter = {}): Observable<EventEnvelope> {
    this.assertOpen();
    return followAll({
      gateway: this.gateway,
      after,
      filter,
      logger: this.logger,
      backoff: { initialDelayMs: 100, maxDelayMs: 5000, ...this.options.resubscribe },
      where: this.where,
      register: (stop) => {
        this.followers.add(stop);
        return () => this.followers.delete(stop);
      },
    });
  }

  async streamRevision(streamId: string): Promise<number> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', limit: 1 });
    return last?.revision ?? -1;
  }

  /** Through the claim of the id: one read of the claim, one of the slot it points at. */
  async getEvent(eventId: string): Promise<EventEnvelope | null> {
    this.assertOpen();
    if (!UUID.test(eventId)) return null;
    return this.transient(`get ${eventId}`, async () => {
      const claim = await this.index.lookup(eventId);
      if (!claim) return null;
      const record = await this.readSlot(claim.streamId, claim.revision);
      return record && sameId(record.eventId, eventId) && isLedgerRecord(record) ? toEnvelope(record) : null;
    });
  }

  /**
   * The newest ledger event's position: $all backwards, skipping system events and the
   * ledger's bookkeeping (the vendor client cannot filter a read). Usually the first page.
   */
  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.transient('read the head of $all', async () => {
      const pageSize = 64;
      let from: EsdbPosition | 'end' = 'end';
      for (;;) {
        const page = await this.gateway.readAllBackwards(from, pageSize);
        let oldest: EsdbPosition | undefined;
        for (const record of page) {
          if (!record.position) continue;
          if (from !== 'end' && record.position.commit >= from.commit) continue; // the page boundary, read twice
          oldest = record.position;
          if (isLedgerRecord(record)) return positionNumber(record);
        }
        if (page.length < pageSize || !oldest) return BEFORE_FIRST;
        from = oldest;
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of [...this.followers]) stop();
    await this.gateway.close();
  }

  // ---------------------------------------------------------------- errors

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the EventStoreDB store is closed', { where: this.where });
  }

  /**
   * Retries an idempotent operation on a transient error (every append is idempotent
   * through its claims), then reports the server as unavailable.
   */
  private async transient<T>(what: string, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (error instanceof EsdbUnavailable && attempt < TRANSIENT_RETRIES && !this.closed) {
          await sleep(100 * 4 ** attempt);
          continue;
        }
        if (error instanceof EsdbUnavailable) {
          throw new StoreUnavailableError(`EventStoreDB at ${this.where} is unavailable (${what}): ${error.message}`, { where: this.where });
        }
        if (error instanceof EsdbAccessDenied) {
          throw new StoreUnavailableError(`EventStoreDB at ${this.where} refused the ledger (${what}): ${error.message}`, { where: this.where });
        }
        throw error;
      }
    }
  }
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function validateAppend(streamId: string, events: NewEvent[]): void {
  if (events.length === 0) throw new Error('append needs at least one event');
  const errors = [];
  if (!streamId || streamId.startsWith('$')) {
    errors.push({ field: 'streamId', reasons: ['stream ids starting with $ are reserved by EventStoreDB'] });
  }
  const ids = new Set<string>();
  for (const [i, e] of events.entries()) {
    if (!UUID.test(e.eventId)) errors.push({ field: `events.${i}.eventId`, reasons: ['EventStoreDB needs event ids in UUID form'] });
    else if (ids.has(e.eventId.toLowerCase())) errors.push({ field: `events.${i}.eventId`, reasons: ['event id repeats within the append'] });
    ids.add(e.eventId.toLowerCase());
  }
  if (errors.length) throw new ValidationFailed(errors);
}
