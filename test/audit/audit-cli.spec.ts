import { publicKeyDocument } from '@ledger/audit';
import type { EventEnvelope } from '@ledger/domain';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent } from '../support/events';
import { appendSpread, createAuditFixture } from './support/audit-fixture';
import { ledgerCli } from './support/cli';
import { tamper } from './support/tamper';

/** `ledger verify | export | timeline` against a real data dir, as a child process. */
describe('ledger verify, export and timeline', () => {
  let dataDir: string;
  let work: string;
  let events: EventEnvelope[];
  let files: { export: string; checkpoint: string; key: string };

  beforeAll(async () => {
    const f = await createAuditFixture({ everyEvents: 20 });
    events = await appendSpread(f.store, 45, 3);
    const fix = newEvent('EventRetracted', { targetEventId: events[4].eventId, reason: 'Wrong city.' });
    events.push(...(await f.store.append(events[4].streamId, [fix])).events);
    await f.checkpointer.sync();
    await f.checkpointer.checkpointNow();
    dataDir = f.dataDir;
    work = mkdtempSync(join(tmpdir(), 'ledger-cli-audit-'));
    files = { export: join(work, 'export.ndjson'), checkpoint: join(work, 'checkpoint.json'), key: join(work, 'key.json') };
    writeFileSync(files.checkpoint, JSON.stringify(await f.audit.latestCheckpoint()));
    writeFileSync(files.key, JSON.stringify(publicKeyDocument(f.signer.publicKey)));
    await f.checkpointer.stop();
    await f.store.close();
    await f.readModel.close();
  }, 120_000);
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => ledgerCli(['--data-dir', dataDir, ...args]);

  it('verify: exit 0 and a summary on an intact ledger', () => {
    const run = cli('verify');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^OK: 46 events verified; 3 signed checkpoints recomputed, 46 Merkle leaves compared/);
  });

  it('export, then verify --offline: exit 0; one changed byte: exit 1', () => {
    const exported = cli('export', '--out', files.export);
    expect(exported.status).toBe(0);
    expect(readFileSync(files.export, 'utf8').trimEnd().split('\n')).toHaveLength(46);
    const offline = ['verify', '--offline', files.export, '--checkpoint', files.checkpoint, '--public-key', files.key];
    const ok = ledgerCli(offline);
    expect([ok.status, ok.stdout]).toEqual([0, expect.stringMatching(/^OK: 46 events verified; signed tree of 46 events matched/)]);
    const text = readFileSync(files.export, 'utf8');
    writeFileSync(files.export, text.replace('event number 17', 'event number 18'));
    const broken = ledgerCli([...offline, '--json']);
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, firstBroken: { reason: 'hash-mismatch', position: events[17].position } });
  });

  it('export to stdout as CSV, filtered', () => {
    const run = cli('export', '--format', 'csv', '--stream-id', 'jurisdiction-s1');
    expect(run.status).toBe(0);
    const rows = run.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^position,eventId,type,streamId/);
    expect(rows.slice(1).every((r) => r.includes(',jurisdiction-s1,'))).toBe(true);
    expect(rows).toHaveLength(1 + events.filter((e) => e.streamId === 'jurisdiction-s1').length);
  });

  it('timeline --jurisdiction prints a table with the retraction linked', () => {
    const run = cli('timeline', '--jurisdiction', 's1', '--limit', '20');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Position.*Occurred.*Type.*Stream.*Summary.*Fixes/);
    expect(run.stdout).toContain('RETRACTED');
    expect(run.stdout).toContain('retracts');
    expect(run.stdout).not.toContain('jurisdiction-s0');
    expect(run.stdout).toMatch(/16 events/);
  });

  it('timeline pages with --cursor', () => {
    const first = JSON.parse(cli('timeline', '--limit', '30', '--json').stdout);
    expect(first.items).toHaveLength(30);
    const second = JSON.parse(cli('timeline', '--limit', '30', '--json', '--cursor', first.nextCursor).stdout);
    expect(second.items.map((e: EventEnvelope) => e.position)).toEqual(events.slice(30).map((e) => e.position));
    expect(second.nextCursor).toBeNull();
  });

  it('verify: exit 1 and the location after the file was tampered with', () => {
    tamper(join(dataDir, 'ledger.sqlite'), (db) => db.prepare(`UPDATE events SET data = json_set(data, '$.n', 99) WHERE position = ?`).run(events[30].position));
    const run = cli('verify');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`BROKEN: hash-mismatch at ${events[30].streamId}@${events[30].revision} (position ${events[30].position}`);
    expect(run.stdout).toContain(`stored:   ${events[30].hash}`);
  });

  it.each([
    [['export', '--format', 'xml']],
    [['timeline', '--occurred-from', '2018-02-30']],
    [['verify', '--offline', '/nonexistent/export.ndjson', '--checkpoint', '/nonexistent/c.json', '--public-key', '/nonexistent/k.json']],
    [['verify', '--offline', 'x.ndjson']],
  ])('bad input %j: exit 2 with a message', (args) => {
    const run = cli(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^ledger: /);
  });

  it('verify on a directory without a ledger: exit 2, and nothing created', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ledger-empty-'));
    const run = ledgerCli(['--data-dir', empty, 'verify']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no ledger in');
    rmSync(empty, { recursive: true, force: true });
  });
});
