import { streamIdFor } from '@ledger/domain';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { openPostgres, openSqliteReadModel, systemClock, type Clock, type ReadModelDb } from '@ledger/platform';
import { Recorder } from '@ledger/recorder';
import { createWebhookRuntime, loadWebhookSettings, type Resolver, type WebhookRuntime, type WebhookSettings } from '@ledger/webhooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../../support/postgres';

export type ReadModelKind = 'sqlite' | 'postgres';

/** A log, a read-model database and a recorder: what a dispatcher needs, without the HTTP app. */
export class WebhookHarness {
  readonly runtimes: WebhookRuntime[] = [];
  private counter = 0;

  private constructor(
    readonly dir: string,
    readonly store: EventStore,
    readonly readModel: ReadModelDb,
    readonly recorder: Recorder,
    private readonly dropDb: (() => Promise<void>) | null,
    readonly clock: Clock,
  ) {}

  static async open(kind: ReadModelKind = 'sqlite', clock: Clock = systemClock): Promise<WebhookHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-webhooks-'));
    const store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => clock.now(), pollIntervalMs: 50 });
    let readModel: ReadModelDb;
    let drop: (() => Promise<void>) | null = null;
    if (kind === 'postgres') {
      const db = await createTestDatabase('webhooks');
      readModel = await openPostgres(db.url);
      drop = db.drop;
    } else {
      readModel = openSqliteReadModel(join(dir, 'views.sqlite'));
    }
    return new WebhookHarness(dir, store, readModel, new Recorder(store, clock), drop, clock);
  }

  /** A runtime (admin + dispatcher) on this harness; settings default to fast test values. */
  async runtime(
    settings: Partial<WebhookSettings> = {},
    options: { env?: NodeJS.ProcessEnv; resolver?: Resolver; owner?: string; start?: boolean } = {},
  ): Promise<WebhookRuntime> {
    const runtime = createWebhookRuntime({
      store: this.store,
      readModel: this.readModel,
      clock: this.clock,
      recorder: this.recorder,
      dataDir: this.dir,
      settings: loadWebhookSettings(
        { LEDGER_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,300ms', LEDGER_WEBHOOK_POLL_INTERVAL: '100ms', LEDGER_WEBHOOK_LEASE_TTL: '3s', ...options.env },
        settings,
      ),
      resolver: options.resolver,
      owner: options.owner,
    });
    await runtime.migrate();
    if (options.start !== false) await runtime.dispatcher.start();
    this.runtimes.push(runtime);
    return runtime;
  }

  /** Registers a jurisdiction: one event. Returns its envelope. */
  async register(id = `j-${++this.counter}`) {
    const result = await this.recorder.record(
      { type: 'JurisdictionRegistered', streamId: streamIdFor('jurisdiction', id), data: { name: `Jurisdiction ${id}`, kind: 'city', state: 'IL' } },
      { recordedBy: 'test' },
    );
    return result.events[0];
  }

  /** Records a letter to a registered jurisdiction. */
  async letter(jurisdictionId: string, letterId = `letter-${++this.counter}`) {
    const result = await this.recorder.record(
      {
        type: 'LetterSent',
        streamId: streamIdFor('jurisdiction', jurisdictionId),
        data: { letterId, from: 'organization:us-doj', subject: 'Records', demands: ['documents'], threats: ['subpoena'] },
        occurredAt: '2018-01-24',
        source: { publication: 'Test' },
      },
      { recordedBy: 'test' },
    );
    return result.events[0];
  }

  async close(): Promise<void> {
    for (const r of this.runtimes.splice(0)) await r.close();
    await this.readModel.close();
    await this.store.close();
    if (this.dropDb) await this.dropDb();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
