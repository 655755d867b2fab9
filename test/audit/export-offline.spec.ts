import { exportChunks, exportStream, publicKeyDocument, verifyExportFiles, CSV_COLUMNS } from '@ledger/audit';
import type { EventEnvelope } from '@ledger/domain';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { newEvent } from '../support/events';
import { appendSpread, createAuditFixture, type AuditFixture } from './support/audit-fixture';

/** RFC 4180, just enough to read the export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of gen) out += chunk;
  return out;
}

/** Positions of the bytes of every `"position":123` value, which no hash covers (see README). */
function positionValueOffsets(text: string): Set<number> {
  const skip = new Set<number>();
  for (const m of text.matchAll(/"position":(\d+)/g)) {
    const start = m.index! + '"position":'.length;
    for (let i = 0; i < m[1].length; i++) skip.add(start + i);
  }
  return skip;
}

describe('export and offline verification', () => {
  let f: AuditFixture;
  let events: EventEnvelope[];
  let exportFile: string;
  let checkpointFile: string;
  let keyFile: string;

  beforeAll(async () => {
    f = await createAuditFixture({ everyEvents: 25 });
    events = await appendSpread(f.store, 70, 3);
    // an event that names a jurisdiction from another stream, with characters CSV must quote
    const about = newEvent('StatementIssued', { about: ['jurisdiction:s1'], quote: 'He said, "no", twice.\nThen left.' });
    events.push(...(await f.store.append('official-jeff-sessions', [about])).events);
    await f.checkpointer.sync();
    await f.checkpointer.checkpointNow();
    exportFile = join(f.dataDir, 'export.ndjson');
    checkpointFile = join(f.dataDir, 'checkpoint.json');
    keyFile = join(f.dataDir, 'public-key.json');
    await pipeline(exportStream(f.store, { format: 'ndjson', pageSize: 16 }), createWriteStream(exportFile));
    writeFileSync(checkpointFile, JSON.stringify(await f.audit.latestCheckpoint()));
    writeFileSync(keyFile, JSON.stringify(publicKeyDocument(f.signer.publicKey)));
  });
  afterAll(() => f.close());

  it('writes one full envelope per line, in position order', () => {
    const lines = readFileSync(exportFile, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(71);
    expect(lines.map((l) => JSON.parse(l))).toEqual(events);
  });

  it('writes CSV with a header and quoted JSON cells that read back to the same data', async () => {
    const csv = await collect(exportChunks(f.store, { format: 'csv', pageSize: 16 }));
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(72);
    const last = events[events.length - 1];
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[71][i]]));
    expect(row).toMatchObject({ position: String(last.position), eventId: last.eventId, type: 'StatementIssued', streamId: 'official-jeff-sessions', hash: last.hash });
    expect(JSON.parse(row.data)).toEqual(last.data);
    expect(JSON.parse(row.metadata)).toEqual(last.metadata);
  });

  it('filters by type, position range and jurisdiction', async () => {
    const parse = (text: string) => text.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as EventEnvelope);
    const statements = parse(await collect(exportChunks(f.store, { format: 'ndjson', filter: { types: ['StatementIssued'] } })));
    expect(statements.map((e) => e.type)).toEqual(['StatementIssued']);
    const range = parse(await collect(exportChunks(f.store, { format: 'ndjson', filter: { afterPosition: events[9].position, toPosition: events[19].position }, pageSize: 4 })));
    expect(range.map((e) => e.position)).toEqual(events.slice(10, 20).map((e) => e.position));
    const s1 = parse(await collect(exportChunks(f.store, { format: 'ndjson', filter: { jurisdiction: 's1' } })));
    expect(s1.map((e) => e.eventId)).toEqual(events.filter((e) => e.streamId === 'jurisdiction-s1' || e.type === 'StatementIssued').map((e) => e.eventId));
  });

  it('verifies offline against the signed checkpoint and the public key (JSON or PEM)', async () => {
    const report = await verifyExportFiles({ exportFile, checkpointFile, publicKeyFile: keyFile });
    expect(report).toMatchObject({ ok: true, eventsChecked: 71, treeSize: 71, firstBroken: null });
    const pemFile = join(f.dataDir, 'audit-ed25519.pub');
    expect((await verifyExportFiles({ exportFile, checkpointFile, publicKeyFile: pemFile })).ok).toBe(true);
  });

  it('fails on any one-byte change to the export', async () => {
    const original = readFileSync(exportFile);
    const skip = positionValueOffsets(original.toString('latin1'));
    let seed = 42;
    const offsets: number[] = [original.indexOf('event number 33') + 6];
    while (offsets.length < 40) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const offset = seed % original.length;
      if (!skip.has(offset) && original[offset] !== 0x0a) offsets.push(offset);
    }
    const broken = join(f.dataDir, 'broken.ndjson');
    for (const offset of offsets) {
      const copy = Buffer.from(original);
      copy[offset] = copy[offset] === 0x41 ? 0x42 : 0x41; // 'A' or 'B'
      writeFileSync(broken, copy);
      const report = await verifyExportFiles({ exportFile: broken, checkpointFile, publicKeyFile: keyFile });
      if (report.ok) throw new Error(`a change at byte ${offset} went unnoticed`);
    }
  });

  it('fails when a line is missing, the checkpoint is altered or signed by another key', async () => {
    const lines = readFileSync(exportFile, 'utf8').split('\n');
    const short = join(f.dataDir, 'short.ndjson');
    writeFileSync(short, lines.slice(0, 70).join('\n') + '\n');
    expect((await verifyExportFiles({ exportFile: short, checkpointFile, publicKeyFile: keyFile })).firstBroken).toMatchObject({ reason: 'missing-events' });

    const checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    const altered = join(f.dataDir, 'altered-checkpoint.json');
    writeFileSync(altered, JSON.stringify({ ...checkpoint, treeSize: 70 }));
    expect((await verifyExportFiles({ exportFile, checkpointFile: altered, publicKeyFile: keyFile })).firstBroken).toMatchObject({ reason: 'checkpoint-signature' });

    const otherKey = join(f.dataDir, 'other.pem');
    writeFileSync(otherKey, '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n');
    expect((await verifyExportFiles({ exportFile, checkpointFile, publicKeyFile: otherKey })).ok).toBe(false);
  });

  it('checks an export longer than the checkpoint up to the checkpoint and reports the rest', async () => {
    const earlier = join(f.dataDir, 'earlier-checkpoint.json');
    const checkpoints = await f.audit.allCheckpoints();
    writeFileSync(earlier, JSON.stringify(checkpoints.find((c) => c.treeSize === 50)));
    const report = await verifyExportFiles({ exportFile, checkpointFile: earlier, publicKeyFile: keyFile });
    expect(report).toMatchObject({ ok: true, treeSize: 50, eventsChecked: 71, eventsBeyondCheckpoint: 21 });
  });
});
