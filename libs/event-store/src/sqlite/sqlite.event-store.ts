import type { EventEnvelope, NewEvent } from '@ledger/domain';
import type Database from 'better-sqlite3';
import { Subject, type Observable } from 'rxjs';
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
import { SqliteAppender } from './sqlite-appender';
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
 * request's conflict does not undo another's; `SqliteAppender` writes each request's rows.
 */
export class SqliteEventStore implements EventStore {
  readonly capabilities = { atomicMultiStream: true, name: 'sqlite' };
  private readonly db: Database.Database;
  private readonly appended = new Subject<void>();
  private readonly groupCommit: GroupCommit<AppendRequest, AppendResult>;
  private readonly pollIntervalMs: number;
  private closed = false;
  private readonly stmt: ReturnType<SqliteEventStore['prepare']>;
  /** Prepared statements by SQL text: readers build a handful of shapes, prepared once each. */
  private readonly statements = new Map<string, Database.Statement>();
  /** What this process committed last, for the subscribers that all ask right after. */
  private readonly recent = new RecentRows();
  private readonly appender: SqliteAppender;

  constructor(options: SqliteEventStoreOptions) {
    this.db = openSqlite(options.file, { synchronous: 'FULL' });
    this.db.exec(EVENTS_SCHEMA);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.stmt = this.prepare();
    this.appender = new SqliteAppender(this.db, options.clock ?? (() => new Date()));
    this.groupCommit = new GroupCommit(this.db, {
      apply: (request) => this.appender.append(request),
      afterCommit: (committed) => {
        for (const result of committed) this.recent.add(this.appender.rowsOf.get(result) ?? []);
        this.appended.next();
      },
      forget: () => this.appender.forget(),
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
      byId: db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?'),
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

