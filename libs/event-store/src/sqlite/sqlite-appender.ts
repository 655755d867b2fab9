import { contentDigest, GENESIS_HASH, sealEvent, unsealedEnvelope, type EventEnvelope, type NewEvent } from '@ledger/domain';
import type Database from 'better-sqlite3';
import { checkExpectedRevision, EventIdReusedError } from '../errors';
import type { AppendRequest, AppendResult } from '../event-store.port';
import { rowToEnvelope } from './row-mapping';
import type { EventRow } from './sqlite-schema';

/**
 * The write half of the SQLite log: turns one append request into rows, inside the
 * transaction the group commit holds. It checks idempotency and the expected revision,
 * chains each event's hash on its stream's head, and keeps what a transaction needs to
 * remember between its requests (the heads it wrote).
 */
export class SqliteAppender {
  /** The rows each append wrote, until its transaction commits (for the store's recent rows). */
  readonly rowsOf = new WeakMap<AppendResult, EventRow[]>();
  /** Heads of the streams written by the transaction in progress (see `headOf`). */
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  private lastRecordedAt = 0;
  private recordedAtText = { ms: NaN, text: '' };
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(
    db: Database.Database,
    private readonly clock: () => Date,
  ) {
    this.stmt = prepare(db);
  }

  /** A transaction begins, or something rolled back: what it wrote is not to be trusted any more. */
  forget(): void {
    this.heads.clear();
  }

  /** One request; runs inside the group-commit transaction (and a savepoint of its own). */
  append({ streamId, events, expectedRevision }: AppendRequest): AppendResult {
    if (events.length === 0) throw new Error('append needs at least one event');
    // A lone event's id is checked by the insert itself (the unique index) and looked up only
    // when it is taken: one index probe fewer per event for the usual fresh id.
    const lookFirst = events.length > 1;
    if (lookFirst) {
      const repeat = this.checkIdempotency(streamId, events);
      if (repeat) return repeat;
    }
    const head = this.headOf(streamId);
    let revision = head?.revision ?? -1;
    try {
      checkExpectedRevision(streamId, expectedRevision, revision);
    } catch (conflict) {
      // A repeat is answered with its original result even if the stream moved on since.
      const repeat = lookFirst ? null : this.checkIdempotency(streamId, events);
      if (repeat) return repeat;
      throw conflict;
    }
    let prevHash = head?.hash ?? GENESIS_HASH;
    const recordedAt = this.nextRecordedAt();
    const stored: EventEnvelope[] = [];
    const rows: EventRow[] = [];
    for (const event of events) {
      revision += 1;
      const unsealed = unsealedEnvelope(event, { streamId, revision, recordedAt, prevHash });
      const { hash, contentDigest: digest, dataJson, metadataJson } = sealEvent(unsealed);
      const row: EventRow = {
        position: 0,
        event_id: event.eventId,
        stream_id: streamId,
        revision,
        type: event.type,
        occurred_at: event.occurredAt,
        occurred_at_precision: event.occurredAtPrecision,
        recorded_at: recordedAt,
        // Canonical text (sorted keys): read back, it hashes without sorting again.
        data: dataJson ?? JSON.stringify(event.data),
        metadata: metadataJson ?? JSON.stringify(event.metadata),
        prev_hash: prevHash,
        hash,
        content_digest: digest,
      };
      let position: number;
      try {
        // Positional parameters: binding by name looks each one up on the object, which cost more.
        position = Number(
          this.stmt.insert.run(row.event_id, row.stream_id, row.revision, row.type, row.occurred_at, row.occurred_at_precision,
            row.recorded_at, row.data, row.metadata, row.prev_hash, row.hash, row.content_digest).lastInsertRowid,
        );
      } catch (error) {
        if (!isEventIdTaken(error)) throw error;
        // Looked up first and not found: the id repeats within this request.
        if (lookFirst) throw new EventIdReusedError(event.eventId);
        // Nothing of this request was written: answer as a repeat, or refuse the reused id.
        const repeat = this.checkIdempotency(streamId, events);
        if (repeat) return repeat;
        throw error;
      }
      row.position = position;
      // Completed in place rather than copied: one object per event fewer.
      const envelope = unsealed as EventEnvelope;
      envelope.hash = hash;
      envelope.position = position;
      rows.push(row);
      stored.push(envelope);
      prevHash = hash;
    }
    const last = stored[stored.length - 1];
    this.heads.set(streamId, { revision: last.revision, hash: last.hash });
    const result = { revision: last.revision, position: last.position, events: stored, idempotent: false };
    this.rowsOf.set(result, rows);
    return result;
  }

  /**
   * A stream's head inside the group-commit transaction: an earlier request of the same
   * transaction left it in `heads` (an import appends to the same streams over and over),
   * else one indexed read. `heads` is emptied when a transaction begins and whenever
   * something rolls back, so it never outlives what it describes.
   */
  private headOf(streamId: string): { revision: number; hash: string } | undefined {
    return this.heads.get(streamId) ?? this.stmt.head.get(streamId);
  }

  /**
   * Idempotency never expires: the event id is unique in the table. A full repeat returns
   * the original result; a partial repeat or changed content is a conflict.
   */
  private checkIdempotency(streamId: string, events: NewEvent[]): AppendResult | null {
    const found = events.map((e) => this.stmt.byId.get(e.eventId));
    if (found.every((row) => row === undefined)) return null;
    found.forEach((row, i) => {
      if (!row || row.stream_id !== streamId || row.content_digest !== contentDigest(streamId, events[i])) {
        throw new EventIdReusedError(events[i].eventId);
      }
    });
    const originals = (found as EventRow[]).map(rowToEnvelope);
    const last = originals[originals.length - 1];
    return { revision: last.revision, position: last.position, events: originals, idempotent: true };
  }

  /** Record time never runs backwards inside this process, even if the wall clock does. */
  private nextRecordedAt(): string {
    const now = Math.max(this.clock().getTime(), this.lastRecordedAt);
    this.lastRecordedAt = now;
    // A batch records many events in the same millisecond: format it once.
    if (this.recordedAtText.ms !== now) this.recordedAtText = { ms: now, text: new Date(now).toISOString() };
    return this.recordedAtText.text;
  }
}

function prepare(db: Database.Database) {
  return {
    head: db.prepare<[string], { revision: number; hash: string }>('SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
    byId: db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?'),
    insert: db.prepare(
      `INSERT INTO events (event_id, stream_id, revision, type, occurred_at, occurred_at_precision, recorded_at,
         data, metadata, prev_hash, hash, content_digest)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

/** The insert failed because the event id is stored already (the unique index on event_id). */
function isEventIdTaken(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /\bevents\.event_id\b/.test((error as Error).message);
}
