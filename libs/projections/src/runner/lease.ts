import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Client } from 'pg';
import { sql } from 'kysely';
import type { ReadModelDb } from '@ledger/platform';

/**
 * Only one process projects into a read-model database at a time. Whoever holds the lease
 * runs the projector; the others wait and take over when it goes. The checkpoint
 * compare-and-set in every batch is the second line: a leader that lost its lease
 * without noticing cannot apply a batch twice.
 */
export interface Lease {
  readonly holder: string;
  readonly held: boolean;
  /** Resolves once held. Rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Called once if the lease is lost while held (connection gone, expired). */
  onLost(listener: () => void): void;
  release(): Promise<void>;
}

/** The advisory-lock key of the projector lease ("LEDGER" in ASCII). */
export const PROJECTOR_LOCK_KEY = '76698471698292';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }, { once: true });
  });

abstract class BaseLease implements Lease {
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  held = false;
  private listeners: (() => void)[] = [];
  abstract acquire(signal?: AbortSignal): Promise<void>;
  abstract release(): Promise<void>;
  onLost(listener: () => void): void {
    this.listeners.push(listener);
  }
  protected lost(): void {
    if (!this.held) return;
    this.held = false;
    for (const l of this.listeners.splice(0)) l();
  }
}

/**
 * A PostgreSQL session advisory lock on a connection of its own: the server frees it the
 * moment that connection dies, so a killed leader hands over within one retry interval.
 */
export class PostgresLease extends BaseLease {
  private client?: Client;
  private check?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly options: { retryMs?: number; checkMs?: number; key?: string } = {},
  ) {
    super();
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new Error('aborted');
      try {
        if (!this.client) {
          const client = new Client({ connectionString: this.url, application_name: `ledger-lease ${this.holder}` });
          client.on('error', () => this.dropClient());
          client.on('end', () => this.dropClient());
          await client.connect();
          this.client = client;
        }
        const { rows } = await this.client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [this.options.key ?? PROJECTOR_LOCK_KEY]);
        if (rows[0]?.ok) {
          this.held = true;
          this.watch();
          return;
        }
      } catch {
        this.dropClient();
      }
      await sleep(this.options.retryMs ?? 500, signal);
    }
  }

  /** A dead connection means a lost lock: look every so often. */
  private watch(): void {
    this.check = setInterval(() => {
      this.client?.query('select 1').catch(() => this.dropClient());
    }, this.options.checkMs ?? 1000);
    this.check.unref();
  }

  private dropClient(): void {
    if (this.check) clearInterval(this.check);
    this.check = undefined;
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => undefined);
    this.lost();
  }

  async release(): Promise<void> {
    if (this.check) clearInterval(this.check);
    const client = this.client;
    this.client = undefined;
    this.held = false;
    if (client) {
      await client.query('select pg_advisory_unlock($1::bigint)', [this.options.key ?? PROJECTOR_LOCK_KEY]).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * The embedded mode's lease: a row in the read-model database with an expiry the holder
 * keeps renewing. Lets `ledger rebuild` see whether a server is projecting right now.
 */
export class RowLease extends BaseLease {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly readModel: ReadModelDb,
    private readonly options: { ttlMs?: number; retryMs?: number } = {},
  ) {
    super();
  }

  private get ttl(): number {
    return this.options.ttlMs ?? 10_000;
  }

  private async ensureTable(): Promise<void> {
    await this.readModel.db.schema
      .createTable('proj_lease')
      .ifNotExists()
      .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('holder', 'varchar(200)', (c) => c.notNull())
      .addColumn('expires_ms', 'bigint', (c) => c.notNull())
      .execute();
  }

  /** True when someone else holds an unexpired lease. */
  async heldElsewhere(): Promise<boolean> {
    await this.ensureTable();
    const row = await this.readModel.db.selectFrom('proj_lease').select(['holder', 'expires_ms']).where('name', '=', 'projector').executeTakeFirst();
    return !!row && row.holder !== this.holder && Number(row.expires_ms) > Date.now();
  }

  private async tryTake(): Promise<boolean> {
    const now = Date.now();
    await sql`insert into proj_lease (name, holder, expires_ms) values ('projector', ${this.holder}, ${now + this.ttl})
      on conflict (name) do update set holder = excluded.holder, expires_ms = excluded.expires_ms
      where proj_lease.holder = excluded.holder or proj_lease.expires_ms < ${now}`.execute(this.readModel.db);
    const row = await this.readModel.db.selectFrom('proj_lease').select('holder').where('name', '=', 'projector').executeTakeFirst();
    return row?.holder === this.holder;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    await this.ensureTable();
    while (!(await this.tryTake())) await sleep(this.options.retryMs ?? 1000, signal);
    this.held = true;
    this.timer = setInterval(() => {
      this.tryTake()
        .then((ok) => (ok ? undefined : this.lost()))
        .catch(() => undefined); // a busy database is not a lost lease; expiry decides
    }, Math.max(100, Math.floor(this.ttl / 3)));
    this.timer.unref();
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.held) return;
    this.held = false;
    await this.readModel.db.deleteFrom('proj_lease').where('name', '=', 'projector').where('holder', '=', this.holder).execute().catch(() => undefined);
  }
}

export function createLease(readModel: ReadModelDb, databaseUrl?: string): Lease {
  return readModel.dialect === 'postgres' && databaseUrl ? new PostgresLease(databaseUrl) : new RowLease(readModel);
}
