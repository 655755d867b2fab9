import { AuditProofs, AuditStore, Checkpointer, loadOrCreateSigningKey, type CheckpointSigner } from '@ledger/audit';
import type { EventEnvelope, NewEvent } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { openSqliteReadModel, type ReadModelDb } from '@ledger/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent } from '../../support/events';

/** A real log file, a real read-model file and a key pair, in a temp data dir. */
export interface AuditFixture {
  dataDir: string;
  logFile: string;
  store: SqliteEventStore;
  readModel: ReadModelDb;
  audit: AuditStore;
  signer: CheckpointSigner;
  checkpointer: Checkpointer;
  proofs: AuditProofs;
  /** Reopens the log (after the test edited the file behind the store's back). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export async function createAuditFixture(options: { everyEvents?: number } = {}): Promise<AuditFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-audit-'));
  const logFile = join(dataDir, 'ledger.sqlite');
  const readModel = openSqliteReadModel(join(dataDir, 'views.sqlite'));
  const audit = new AuditStore(readModel);
  const signer = loadOrCreateSigningKey(dataDir);
  const fixture: AuditFixture = {
    dataDir,
    logFile,
    store: new SqliteEventStore({ file: logFile }),
    readModel,
    audit,
    signer,
    checkpointer: undefined as unknown as Checkpointer,
    proofs: undefined as unknown as AuditProofs,
    async reopen() {
      await fixture.store.close();
      fixture.store = new SqliteEventStore({ file: logFile });
      fixture.proofs = new AuditProofs(fixture.store, audit);
    },
    async close() {
      await fixture.checkpointer.stop();
      await fixture.store.close();
      await readModel.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  fixture.checkpointer = new Checkpointer(fixture.store, audit, signer, {
    everyEvents: options.everyEvents ?? 10,
    everyMs: 0,
    now: () => new Date(),
  });
  fixture.proofs = new AuditProofs(fixture.store, audit);
  await fixture.checkpointer.init();
  return fixture;
}

/** Appends `count` events spread over `streams` streams, one append each, in a fixed order. */
export async function appendSpread(store: SqliteEventStore, count: number, streams = 5, prefix = 'jurisdiction-s'): Promise<EventEnvelope[]> {
  const stored: EventEnvelope[] = [];
  for (let i = 0; i < count; i++) {
    const event: NewEvent = newEvent('TestHappened', { n: i, note: `event number ${i}` });
    const result = await store.append(`${prefix}${i % streams}`, [event]);
    stored.push(...result.events);
  }
  return stored;
}
