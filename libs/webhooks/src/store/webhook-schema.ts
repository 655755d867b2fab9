import type { ReadModelDb } from '@ledger/platform';

/**
 * Webhook state lives in the read-model database, beside the projections (views.sqlite,
 * or PostgreSQL at scale, shared by every api and worker process):
 * - webhook_subscriptions: the registry, a projection of the webhook-<id> streams, plus
 *   each subscription's delivery checkpoint (the last position turned into messages);
 * - webhook_secrets: the signing secrets, sealed (never in the log, never exported);
 * - webhook_messages: the outbox, one row per (subscription, event) owed or delivered;
 * - webhook_attempts: the delivery log, one row per HTTP attempt;
 * - webhook_leases: which dispatcher runs which subscription;
 * - webhook_registry: how far the registry has followed the log.
 */
export async function migrateWebhookTables(rm: ReadModelDb): Promise<void> {
  try {
    await createTables(rm);
  } catch {
    // Two processes starting at once on PostgreSQL can race on CREATE … IF NOT EXISTS
    // (a unique violation in the catalogue); the second try finds the tables made.
    await createTables(rm);
  }
}

async function createTables(rm: ReadModelDb): Promise<void> {
  const db = rm.db;
  const pg = rm.dialect === 'postgres';
  await db.schema
    .createTable('webhook_subscriptions')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('jurisdictions', 'text', (c) => c.notNull())
    .addColumn('actors', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('start_position', 'bigint', (c) => c.notNull())
    .addColumn('checkpoint', 'bigint', (c) => c.notNull())
    .addColumn('failing_since', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_secrets')
    .ifNotExists()
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addPrimaryKeyConstraint('webhook_secrets_pk', ['subscription_id', 'version'])
    .execute();
  await db.schema
    .createTable('webhook_messages')
    .ifNotExists()
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('msg_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('enqueued_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('webhook_messages_pk', ['subscription_id', 'position'])
    .execute();
  await db.schema
    .createIndex('webhook_messages_due')
    .ifNotExists()
    .on('webhook_messages')
    .columns(['subscription_id', 'status', 'position'])
    .execute();
  await db.schema
    .createTable('webhook_attempts')
    .ifNotExists()
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('msg_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('response', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_attempts_by_subscription')
    .ifNotExists()
    .on('webhook_attempts')
    .columns(['subscription_id', 'id'])
    .execute();
  await db.schema
    .createTable('webhook_leases')
    .ifNotExists()
    .addColumn('subscription_id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_registry')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .execute();
}
