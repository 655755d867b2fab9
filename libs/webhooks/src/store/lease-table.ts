import type { ReadModelDb } from '@ledger/platform';

/**
 * One dispatcher per subscription at a time, across processes: a row per subscription
 * naming its owner until `expires_at`. A plain table (not a PostgreSQL advisory lock) so
 * that the same code serves SQLite and PostgreSQL. Owners renew well before expiry; a
 * killed owner's subscriptions are taken over once its lease runs out. Two owners can
 * overlap only if one stalls past its expiry, and delivery is at-least-once anyway.
 */
export class LeaseTable {
  constructor(
    private readonly rm: ReadModelDb,
    readonly owner: string,
  ) {}

  private get db() {
    return this.rm.db;
  }

  async acquire(subscriptionId: string, now: number, ttlMs: number): Promise<boolean> {
    await this.db
      .insertInto('webhook_leases')
      .values({ subscription_id: subscriptionId, owner: this.owner, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column('subscription_id')
          .doUpdateSet({ owner: this.owner, expires_at: now + ttlMs })
          .where((eb) => eb.or([eb('webhook_leases.expires_at', '<=', now), eb('webhook_leases.owner', '=', this.owner)])),
      )
      .execute();
    const row = await this.db.selectFrom('webhook_leases').select('owner').where('subscription_id', '=', subscriptionId).executeTakeFirst();
    return row?.owner === this.owner;
  }

  /** Extends the leases still held; returns the ids this owner still holds. */
  async renew(subscriptionIds: readonly string[], now: number, ttlMs: number): Promise<Set<string>> {
    if (subscriptionIds.length === 0) return new Set();
    await this.db
      .updateTable('webhook_leases')
      .set({ expires_at: now + ttlMs })
      .where('owner', '=', this.owner)
      .where('subscription_id', 'in', [...subscriptionIds])
      .execute();
    const rows = await this.db
      .selectFrom('webhook_leases')
      .select('subscription_id')
      .where('owner', '=', this.owner)
      .where('subscription_id', 'in', [...subscriptionIds])
      .execute();
    return new Set(rows.map((r) => r.subscription_id as string));
  }

  async release(subscriptionIds: readonly string[]): Promise<void> {
    if (subscriptionIds.length === 0) return;
    await this.db.deleteFrom('webhook_leases').where('owner', '=', this.owner).where('subscription_id', 'in', [...subscriptionIds]).execute();
  }

  /** Who holds a subscription now (for health and tests). */
  async holder(subscriptionId: string, now: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('webhook_leases')
      .select(['owner', 'expires_at'])
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    return row && Number(row.expires_at) > now ? (row.owner as string) : null;
  }
}
