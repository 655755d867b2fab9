import { contentDigest, GENESIS_HASH, sealEvent, type EventEnvelope, type NewEvent } from '@ledger/domain';
import type Database from 'better-sqlite3';
import { Subject, type Observable } from 'rxjs';
import { checkExpectedRevision, EventIdReusedError } from '../errors';
import {
  BEFORE_FIRST,
  type AppendOptions,
  type AppendRequest,
  type AppendResult,
  type EventFilter,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
} from '../event-store.port';
import { catchUpThenFollow, type CatchUpPage } from '../subscription';
import { GroupCommit } from './group-commit';
import { RecentRows } from './recent-rows';
import { ENVELOPE_COLUMNS, rowToEnvelope, valuesToEnvelope, type EnvelopeValues } from './row-mapping';
import { openSqlite } from './sqlite-connection';
import { EVENTS_SCHEMA, type EventRow } from './sqlite-schema';

export interface SqliteEventStoreOptions {
  /** Path of the log file, or `:memory:`. */
  file: string;
  /** Record time comes from here; tests pass a fixed clock. */
  clock?: () => Date;
  /** How often live subscriptions look for appends made by other processes. */
  pollIntervalMs?: number;
}

/**
 * The embedded log: one SQLite file, WAL, synchronous=FULL. Concurrent appends share one
 * transaction and one fsync (group commit), each inside its own savepoint so that one
 * request's conflict does not undo another's.
 */
export class SqliteEventStore implements EventStore {
  readonly capabilities = { atomicMultiStream: true, name: 'sqlite' };
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly appended = new Subject<void>();
  private readonly groupCommit: GroupCommit<AppendRequest, AppendResult>;
  private readonly pollIntervalMs: number;
  private lastRecordedAt = 0;
  private closed = false;
  private readonly stmt: ReturnType<SqliteEventStore['prepare']>;
  /** Prepared statements by SQL text: readers build a handful of shapes, prepared once each. */
  private readonly statements = new Map<string, Database.Statement>();
  /** What this process committed last, for the subscribers that all ask right after. */
  private readonly recent = new RecentRows();
  /** The rows each append wrote, until its transaction commits. */
  private readonly rowsOf = new WeakMap<AppendResult, EventRow[]>();
  /** Heads of the streams written by the transaction in progress (see `headOf`). */
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  private recordedAtText = { ms: NaN, text: '' };

  constructor(options: SqliteEventStoreOptions) {
    this.db = openSqlite(options.file, { synchronous: 'FULL' });
    this.db.exec(EVENTS_SCHEMA);
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.stmt = this.prepare();
    this.groupCommit = new GroupCommit(this.db, {
      apply: (request) => this.appendNow(request),
      afterCommit: (committed) => {
        for (const result of committed) this.recent.add(this.rowsOf.get(result) ?? []);
        this.appended.next();
      },
      forget: () => this.heads.clear(),
    });
  }

  /** This connection's commits, as they happen (an embedded background thread is told of them). */
  get commits(): Observable<void> {
    return this.appended.asObservable();
  }

  /**
   * Another connection to the file committed: wake the subscribers now rather than at the
   * next poll (the background thread hears of the api's commits this way).
   */
  wake(): void {
    if (!this.closed) this.appended.next();
  }

  /** A reader's query, prepared once, answering an array of `ENVELOPE_COLUMNS` per row. */
  private cached<P extends unknown[]>(sql: string): Database.Statement<P, EnvelopeValues> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql).raw(true);
      if (this.statements.size < 256) this.statements.set(sql, stmt);
    }
    return stmt as Database.Statement<P, EnvelopeValues>;
  }

  private prepare() {
    const db = this.db;
    return {
      head: db.prepare<[string], { revision: number; hash: string }>(
        'SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
      ),
      byId: db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?'),
      insert: db.prepare(
        `INSERT INTO events (event_id, stream_id, revision, type, occurred_at, occurred_at_precision, recorded_at,
           data, metadata, prev_hash, hash, content_digest)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      headPosition: db.prepare<[], { p: number | null }>('SELECT MAX(position) AS p FROM events'),
      // Answered from the (stream_id, revision) index alone.
      revision: db.prepare<[string], { revision: number }>('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
    };
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.groupCommit.submit({ streamId, events, expectedRevision: options.expectedRevision });
  }

  async appendMany(requests: AppendRequest[], options: { atomic?: boolean } = {}): Promise<AppendResult[]> {
    if (!options.atomic) return Promise.all(requests.map((r) => this.append(r.streamId, r.events, r)));
    return this.groupCommit.submitAtomic(requests);
  }

  /** Runs inside the group-commit transaction (and a savepoint of its own). */
  private appendNow({ streamId, events, expectedRevision }: AppendRequest): AppendResult {
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
      const envelope: EventEnvelope = {
        eventId: event.eventId,
        type: event.type,
        streamId,
        revision,
        position: 0,
        occurredAt: event.occurredAt,
        occurredAtPrecision: event.occurredAtPrecision,
        recordedAt,
        data: event.data,
        metadata: event.metadata,
        prevHash,
        hash: '',
      };
      const { hash, contentDigest: digest, dataJson, metadataJson } = sealEvent(envelope);
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
      envelope.position = position;
      envelope.hash = hash;
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

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const rows = this.cached<[string, number, number]>(
        `SELECT ${ENVELOPE_COLUMNS} FROM events WHERE stream_id = ? AND revision ${backwards ? '<=' : '>='} ?
         ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ?`,
      )
      .all(streamId, from, options.limit ?? -1);
    return rows.map(valuesToEnvelope);
  }

  async streamRevision(streamId: string): Promise<number> {
    return this.stmt.revision.get(streamId)?.revision ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<EventEnvelope[]> {
    return this.readAllSync(options);
  }

  private readAllSync(options: ReadAllOptions): EventEnvelope[] {
    const after = options.after ?? BEFORE_FIRST;
    const limit = options.limit ?? -1;
    return this.readRecent(after, options, limit) ?? this.queryAll(after, options, limit);
  }

  /**
   * From the tail of recent commits, when it reaches back to `after` and nothing newer exists
   * (`head`: the head already read by the caller, else read here).
   */
  private readRecent(after: number, filter: EventFilter, limit: number, head?: number): EventEnvelope[] | undefined {
    const last = this.recent.lastPosition;
    if (last === undefined || after >= last) return undefined;
    if ((head ?? this.stmt.headPosition.get()?.p) !== last) return undefined; // another process appended since
    return this.recent.after(after, filter, limit)?.map(rowToEnvelope);
  }

  private queryAll(after: number, options: EventFilter, limit: number, upTo?: number): EventEnvelope[] {
    const where = ['position > @after'];
    const params: Record<string, unknown> = { after, limit };
    if (upTo !== undefined) {
      where.push('position <= @upTo');
      params.upTo = upTo;
    }
    if (options.types?.length) {
      where.push(`type IN (${options.types.map((_, i) => `@t${i}`).join(',')})`);
      options.types.forEach((t, i) => (params[`t${i}`] = t));
    }
    if (options.streamPrefixes?.length) {
      where.push(`(${options.streamPrefixes.map((_, i) => `substr(stream_id, 1, length(@p${i})) = @p${i}`).join(' OR ')})`);
      options.streamPrefixes.forEach((p, i) => (params[`p${i}`] = p));
    }
    const sql = `SELECT ${ENVELOPE_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT @limit`;
    return this.cached<[Record<string, unknown>]>(sql).all(params).map(valuesToEnvelope);
  }

  subscribe(after: number, filter: EventFilter = {}): Observable<EventEnvelope> {
    return catchUpThenFollow({
      after,
      readPage: (from, limit) => this.readPageThrough(from, limit, filter),
      wakeUps: this.appended,
      pollIntervalMs: this.pollIntervalMs,
    });
  }

  /**
   * A subscriber's page, and how far it looked. The read stops at the head as it stood
   * before the read (every position up to it is committed), so when the page comes back
   * short, everything up to the head has been seen: a filtered subscriber moves past the
   * events it does not want instead of scanning them again on every wake-up (the webhook
   * registry, which wants a few bookkeeping types, rescanned the whole log since its last
   * match on every append).
   */
  private readPageThrough(after: number, limit: number, filter: EventFilter): CatchUpPage {
    const head = this.stmt.headPosition.get()?.p ?? BEFORE_FIRST;
    if (head <= after) return { events: [], through: after };
    const events = this.readRecent(after, filter, limit, head) ?? this.queryAll(after, filter, limit, head);
    const short = limit < 0 || events.length < limit;
    return { events, through: short ? head : events[events.length - 1].position };
  }

  async getEvent(eventId: string): Promise<EventEnvelope | null> {
    const row = this.stmt.byId.get(eventId);
    return row ? rowToEnvelope(row) : null;
  }

  async headPosition(): Promise<number> {
    return this.stmt.headPosition.get()?.p ?? BEFORE_FIRST;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.groupCommit.drain();
    this.appended.complete();
    this.db.close();
  }
}

/** The insert failed because the event id is stored already (the unique index on event_id). */
function isEventIdTaken(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /\bevents\.event_id\b/.test((error as Error).message);
}
