import { verifyLog, type LogVerificationReport } from '@ledger/audit';
import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@ledger/domain';
import { createPublicKey } from 'node:crypto';
import { appendSpread, createAuditFixture, type AuditFixture } from './support/audit-fixture';
import { swapPositions, tamper } from './support/tamper';

/** 60 events in 4 streams, recorded and signed by the checkpointer (every 10 events). */
async function recordedLog(): Promise<{ f: AuditFixture; events: EventEnvelope[] }> {
  const f = await createAuditFixture({ everyEvents: 10 });
  const events = await appendSpread(f.store, 60, 4);
  await f.checkpointer.sync();
  await f.checkpointer.checkpointNow();
  return { f, events };
}

/**
 * Each test records 60 events in 4 streams, lets the checkpointer record and sign them
 * (every 10 events), edits the SQLite file directly with the protective triggers dropped,
 * and expects verification to find and locate the edit.
 */
describe('tampering with the SQLite log is detected and located', () => {
  let f: AuditFixture;
  let events: EventEnvelope[];

  beforeEach(async () => {
    ({ f, events } = await recordedLog());
  });
  afterEach(() => f.close());

  const verify = async (withRecord = true): Promise<LogVerificationReport> => {
    await f.reopen();
    return verifyLog(f.store, withRecord ? { audit: f.audit, publicKeys: async (id) => (id === f.signer.keyId ? f.signer.publicKey : null) } : {});
  };

  it('an untouched log verifies, with every checkpoint recomputed', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, eventsChecked: 60, firstBroken: null, checkpointsChecked: 6, leavesCompared: 60 });
  });

  it('a changed data field: hash-mismatch at that event, with the recomputed and stored hashes', async () => {
    const target = events[25];
    tamper(f.logFile, (db) => db.prepare(`UPDATE events SET data = json_set(data, '$.note', 'forged') WHERE position = ?`).run(target.position));
    for (const report of [await verify(), await verify(false)]) {
      expect(report.ok).toBe(false);
      expect(report.firstBroken).toMatchObject({
        reason: 'hash-mismatch',
        streamId: target.streamId,
        revision: target.revision,
        position: target.position,
        eventId: target.eventId,
        storedHash: target.hash,
      });
      expect(report.firstBroken!.expectedHash).toMatch(/^[0-9a-f]{64}$/);
      expect(report.firstBroken!.expectedHash).not.toBe(target.hash);
      expect(report.eventsChecked).toBe(26);
    }
  });

  it('a changed field whose hash chain was recomputed (and the Merkle rows rewritten): the signed root catches it', async () => {
    const target = events[22];
    const stream = events.filter((e) => e.streamId === target.streamId && e.revision >= target.revision);
    // rewrite the event and re-chain every later event of its stream, as a careful forger would
    let prevHash = target.prevHash;
    const rewritten = stream.map((e, i) => {
      const data = i === 0 ? { ...e.data, note: 'forged' } : e.data;
      const hash = computeEventHash({ ...e, data, prevHash });
      const out = { ...e, data, prevHash, hash };
      prevHash = hash;
      return out;
    });
    tamper(f.logFile, (db) => {
      for (const e of rewritten) {
        db.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE position = ?').run(JSON.stringify(e.data), e.prevHash, e.hash, e.position);
      }
    });
    await f.readModel.db.transaction().execute(async (trx) => {
      for (const e of rewritten) {
        await trx.updateTable('audit_leaves').set({ event_hash: Buffer.from(e.hash, 'hex') }).where('position', '=', e.position).execute();
      }
    });
    expect((await verify(false)).ok).toBe(true); // the chains alone are consistent again…
    const report = await verify();
    expect(report.ok).toBe(false); // …but not with the signed root of the first 30 events
    expect(report.firstBroken).toMatchObject({ reason: 'checkpoint-mismatch', position: events[29].position });
    expect(report.eventsChecked).toBe(30);
  });

  it('a deleted row inside a stream: located at the event that follows it', async () => {
    const target = events[17];
    tamper(f.logFile, (db) => db.prepare('DELETE FROM events WHERE position = ?').run(target.position));
    const report = await verify();
    expect(report.firstBroken).toMatchObject({
      reason: 'leaf-mismatch',
      position: events[18].position,
      expectedHash: target.hash,
      storedHash: events[18].hash,
    });
    // without the Merkle record the stream's own chain still shows the gap
    const chainOnly = await verify(false);
    const next = events.find((e) => e.streamId === target.streamId && e.revision === target.revision + 1)!;
    expect(chainOnly.firstBroken).toMatchObject({
      reason: 'revision-gap',
      streamId: target.streamId,
      revision: target.revision + 1,
      position: next.position,
      expectedHash: events.find((e) => e.streamId === target.streamId && e.revision === target.revision - 1)!.hash,
      storedHash: target.hash,
    });
  });

  it("a deleted last row of the log: the tail is missing", async () => {
    tamper(f.logFile, (db) => db.prepare('DELETE FROM events WHERE position = ?').run(events[59].position));
    const report = await verify();
    expect(report.firstBroken).toMatchObject({ reason: 'missing-events', position: events[59].position, expectedHash: events[59].hash });
    expect(report.eventsChecked).toBe(59);
  });

  it('two rows of one stream swapped: revision-gap where the later revision comes first', async () => {
    const [a, b] = events.filter((e) => e.streamId === 'jurisdiction-s1').slice(3, 5);
    tamper(f.logFile, (db) => swapPositions(db, a.position, b.position));
    for (const report of [await verify(), await verify(false)]) {
      expect(report.firstBroken).toMatchObject({ reason: 'revision-gap', streamId: b.streamId, revision: b.revision, position: a.position, storedHash: a.hash });
    }
  });

  it('two rows of different streams swapped: the chains hold, the Merkle record does not', async () => {
    const [a, b] = [events[30], events[31]];
    expect(a.streamId).not.toBe(b.streamId);
    tamper(f.logFile, (db) => swapPositions(db, a.position, b.position));
    expect((await verify(false)).ok).toBe(true);
    const report = await verify();
    expect(report.firstBroken).toMatchObject({ reason: 'leaf-mismatch', streamId: b.streamId, revision: b.revision, position: a.position, expectedHash: a.hash, storedHash: b.hash });
  });

  it('a forged row with a made-up hash: hash-mismatch', async () => {
    const head = events.filter((e) => e.streamId === 'jurisdiction-s2').pop()!;
    const forged = { ...head, eventId: '11111111-1111-4111-8111-111111111111', revision: head.revision + 1, prevHash: head.hash, hash: 'ab'.repeat(32) };
    tamper(f.logFile, (db) => insertRow(db, forged, events[59].position + 1));
    const report = await verify();
    expect(report.firstBroken).toMatchObject({ reason: 'hash-mismatch', streamId: 'jurisdiction-s2', revision: head.revision + 1, storedHash: 'ab'.repeat(32) });
  });

  it('a forged, correctly hashed new stream slipped into the middle of the log: leaf-mismatch there', async () => {
    const at = events[40].position;
    const forged: EventEnvelope = {
      eventId: '22222222-2222-4222-8222-222222222222',
      type: 'TestHappened',
      streamId: 'jurisdiction-forged',
      revision: 0,
      position: at,
      occurredAt: '2018-01-24',
      occurredAtPrecision: 'day',
      recordedAt: events[40].recordedAt,
      data: { n: 999 },
      metadata: { recordedBy: 'test', schemaVersion: 1 },
      prevHash: GENESIS_HASH,
      hash: '',
    };
    forged.hash = computeEventHash(forged);
    tamper(f.logFile, (db) => {
      db.prepare('UPDATE events SET position = position + 1000000 WHERE position >= ?').run(at);
      db.prepare('UPDATE events SET position = position - 999999 WHERE position >= 1000000').run();
      insertRow(db, forged, at);
    });
    expect((await verify(false)).ok).toBe(true);
    const report = await verify();
    expect(report.firstBroken).toMatchObject({ reason: 'leaf-mismatch', streamId: 'jurisdiction-forged', revision: 0, position: at, expectedHash: events[40].hash, storedHash: forged.hash });
  });

  it('a checkpoint signed with another key is refused', async () => {
    const other = createPublicKey(
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n',
    );
    const report = await verifyLog(f.store, { audit: f.audit, publicKeys: async () => other });
    expect(report.firstBroken).toMatchObject({ reason: 'checkpoint-signature' });
  });
});

/**
 * The verifier reads the log and the Merkle record in pages; with pages of 7 events (and of
 * 35 leaves) the edits below fall on and across page boundaries.
 */
describe('tampering is found across page boundaries', () => {
  let f: AuditFixture;
  let events: EventEnvelope[];

  beforeEach(async () => {
    ({ f, events } = await recordedLog());
  });
  afterEach(() => f.close());

  const verify = async (): Promise<LogVerificationReport> => {
    await f.reopen();
    return verifyLog(f.store, { audit: f.audit, publicKeys: async () => f.signer.publicKey, pageSize: 7 });
  };

  it('an untouched log verifies, every leaf compared and every checkpoint recomputed', async () => {
    expect(await verify()).toMatchObject({ ok: true, eventsChecked: 60, firstBroken: null, checkpointsChecked: 6, leavesCompared: 60 });
  });

  it('two rows of different streams swapped across a page boundary: leaf-mismatch', async () => {
    const [a, b] = [events[27], events[28]];
    expect(a.streamId).not.toBe(b.streamId);
    tamper(f.logFile, (db) => swapPositions(db, a.position, b.position));
    expect((await verify()).firstBroken).toMatchObject({ reason: 'leaf-mismatch', position: a.position, expectedHash: a.hash, storedHash: b.hash });
  });

  it('a changed byte in the first event of a page: hash-mismatch there', async () => {
    const target = events[35];
    tamper(f.logFile, (db) => db.prepare(`UPDATE events SET data = replace(data, 'event', 'Event') WHERE position = ?`).run(target.position));
    expect(await verify()).toMatchObject({ eventsChecked: 36, firstBroken: { reason: 'hash-mismatch', position: target.position, storedHash: target.hash } });
  });

  it('the last row deleted where the log ends on a full page: the tail is missing', async () => {
    tamper(f.logFile, (db) => db.prepare('DELETE FROM events WHERE position >= ?').run(events[56].position));
    const report = await verify();
    expect(report).toMatchObject({ eventsChecked: 56, leavesCompared: 56, firstBroken: { reason: 'missing-events', position: events[56].position, expectedHash: events[56].hash } });
  });
});

function insertRow(db: import('better-sqlite3').Database, e: EventEnvelope, position: number): void {
  db.prepare(
    `INSERT INTO events (position, event_id, stream_id, revision, type, occurred_at, occurred_at_precision, recorded_at, data, metadata, prev_hash, hash, content_digest)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'forged')`,
  ).run(position, e.eventId, e.streamId, e.revision, e.type, e.occurredAt, e.occurredAtPrecision, e.recordedAt, JSON.stringify(e.data), JSON.stringify(e.metadata), e.prevHash, e.hash);
}
