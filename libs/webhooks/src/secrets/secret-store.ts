import type { ReadModelDb } from '@ledger/platform';
import { sql } from 'kysely';
import type { SecretBox } from './secret-box';

/**
 * Signing secrets, sealed by the SecretBox, in their own table: never in the log, never in
 * an export, never in an API answer after the one that created them. A rotation gives the
 * current secrets an expiry (the overlap) and adds a new one; until they expire, every
 * message is signed with each.
 */
export class SecretStore {
  constructor(
    private readonly rm: ReadModelDb,
    private readonly box: SecretBox,
  ) {}

  private get db() {
    return this.rm.db;
  }

  /** Adds `secret` as the current one; the previous ones expire at `previousExpireAt`. */
  async add(subscriptionId: string, secret: string, now: number, previousExpireAt: number = now): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const top = await trx
        .selectFrom('webhook_secrets')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('subscription_id', '=', subscriptionId)
        .executeTakeFirst();
      const version = top?.v === null || top?.v === undefined ? 1 : Number(top.v) + 1;
      await trx
        .updateTable('webhook_secrets')
        .set({ expires_at: previousExpireAt })
        .where('subscription_id', '=', subscriptionId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', previousExpireAt)]))
        .execute();
      await trx
        .insertInto('webhook_secrets')
        .values({ subscription_id: subscriptionId, version, sealed: this.box.seal(secret, `${subscriptionId}/${version}`), created_at: now, expires_at: null })
        .execute();
    });
    await this.flush();
  }

  /** The secrets that sign now, newest first. */
  async active(subscriptionId: string, now: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('webhook_secrets')
      .select(['version', 'sealed'])
      .where('subscription_id', '=', subscriptionId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => this.box.open(r.sealed, `${subscriptionId}/${Number(r.version)}`));
  }

  /** When the newest secret was made (ms), or null. */
  async currentSince(subscriptionId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('webhook_secrets')
      .select('created_at')
      .where('subscription_id', '=', subscriptionId)
      .where('expires_at', 'is', null)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    return row ? Number(row.created_at) : null;
  }

  async remove(subscriptionId: string): Promise<void> {
    await this.db.deleteFrom('webhook_secrets').where('subscription_id', '=', subscriptionId).execute();
    await this.flush();
  }

  /**
   * The SQLite read model runs synchronous=NORMAL (it is rebuildable from the log); a
   * secret is not, so copy the WAL into the database file, which fsyncs it.
   */
  private async flush(): Promise<void> {
    if (this.rm.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(FULL)`.execute(this.db);
  }
}
