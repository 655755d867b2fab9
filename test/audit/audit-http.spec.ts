import { Checkpointer, readTimeline, ScanTimelineSource, verifyExportFiles, type TimelineItem } from '@ledger/audit';
import { readCheckpoints } from '@ledger/projections';
import { readDatasetText } from '@ledger/datasets';
import { ManualClock, READ_MODEL_DB, type ReadModelDb } from '@ledger/platform';
import { createPublicKey, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKey } from '../../apps/ledger-api/src/http/auth/api-keys';
import { startTestLedger, type TestLedger } from '../support/app';
import { waitFor } from '../support/events';
import { fromHex, rfcVerifyConsistency, rfcVerifyInclusion } from './support/rfc9162';

const PROBLEM = /application\/problem\+json/;

describe('audit over HTTP', () => {
  let ledger: TestLedger;
  let all: TimelineItem[];
  let clock: ManualClock;

  const get = async (url: string) => {
    const res = await ledger.inject({ method: 'GET', url });
    return { status: res.statusCode, type: String(res.headers['content-type']), body: res.body, json: () => JSON.parse(res.body) };
  };

  beforeAll(async () => {
    // a clock in 2018, so that no deadline of the dataset lapses (and appends) behind the test's back
    clock = new ManualClock(new Date('2018-01-26T00:00:00Z'));
    ledger = await startTestLedger({ clock });
    const imported = await ledger.inject({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: readDatasetText() });
    expect(imported.statusCode).toBe(200);
    clock.set('2018-01-27T00:00:00Z');
    const statement = JSON.parse((await get('/v1/timeline?type=StatementIssued&limit=1')).body).items[0];
    const retracted = await ledger.inject({ method: 'POST', url: `/v1/events/${statement.eventId}/retractions`, payload: { reason: 'Misattributed in the source.' } });
    expect(retracted.statusCode).toBe(201);
    const checkpointer = ledger.app.get(Checkpointer);
    await checkpointer.sync();
    await checkpointer.checkpointNow();
    all = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = (await get(`/v1/timeline?limit=40${cursor ? `&cursor=${cursor}` : ''}`)).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    }
  });
  afterAll(() => ledger.dispose());

  describe('GET /v1/timeline', () => {
    it('pages through the whole log in position order', () => {
      expect(all).toHaveLength(175);
      const positions = all.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(all.map((e) => e.eventId)).size).toBe(175);
    });

    it('links corrections and retractions to their targets, both ways', () => {
      const byId = new Map(all.map((e) => [e.eventId, e]));
      const fixes = all.filter((e) => e.type === 'CorrectionRecorded' || e.type === 'EventRetracted');
      expect(fixes).toHaveLength(32);
      for (const fix of fixes) {
        expect(fix.links.target?.eventId).toBe(fix.data.targetEventId);
        const target = byId.get(String(fix.data.targetEventId))!;
        const back = fix.type === 'CorrectionRecorded' ? target.links.corrections : target.links.retractions;
        expect(back).toContainEqual({ eventId: fix.eventId, position: fix.position, href: `/v1/events/${fix.eventId}` });
      }
      const linked = all.filter((e) => e.links.corrections.length || e.links.retractions.length);
      expect(linked.reduce((n, e) => n + e.links.corrections.length + e.links.retractions.length, 0)).toBe(32);
    });

    it('links are the same on a page that starts after the target', async () => {
      const correction = all.find((e) => e.type === 'CorrectionRecorded')!;
      const target = all.find((e) => e.eventId === correction.data.targetEventId)!;
      const before = all[all.indexOf(target) - 1];
      const page = (await get(`/v1/timeline?streamId=${target.streamId}&limit=1&cursor=${Buffer.from(`p:${before.position}`).toString('base64url')}`)).json();
      expect(page.items[0].eventId).toBe(target.eventId);
      expect(page.items[0].links.corrections.map((l: { eventId: string }) => l.eventId)).toContain(correction.eventId);
    });

    it('filters by jurisdiction, actor, type and both kinds of time', async () => {
      const chicago = (await get('/v1/timeline?jurisdiction=chicago-il&limit=500')).json().items as TimelineItem[];
      expect(chicago.length).toBeGreaterThan(3);
      // an event concerns Chicago when it is in its stream or names it; a fix, when what it fixes does
      const byId = new Map(all.map((e) => [e.eventId, e]));
      const names = (e: TimelineItem): boolean =>
        e.streamId === 'jurisdiction-chicago-il' || JSON.stringify(e.data).includes('jurisdiction:chicago-il') || e.data.jurisdictionId === 'chicago-il';
      const concerns = (e: TimelineItem): boolean => names(e) || (e.links.target !== null && concerns(byId.get(e.links.target.eventId)!));
      expect(chicago.map((e) => e.eventId)).toEqual(all.filter(concerns).map((e) => e.eventId));
      expect(chicago.some((e) => e.type === 'CorrectionRecorded' && !names(e))).toBe(true);

      const sessions = (await get('/v1/timeline?actor=official:jeff-sessions&limit=500')).json().items as TimelineItem[];
      expect(sessions.length).toBeGreaterThan(1);
      const byId2 = new Map(all.map((e) => [e.eventId, e]));
      const namesSessions = (e: TimelineItem): boolean => e.streamId === 'official-jeff-sessions' || JSON.stringify(e.data).includes('official:jeff-sessions');
      expect(sessions.every((e) => namesSessions(e) || (e.links.target !== null && namesSessions(byId2.get(e.links.target.eventId)!)))).toBe(true);

      const types = (await get('/v1/timeline?type=LetterSent,BoycottDeclared&limit=500')).json().items as TimelineItem[];
      expect(types).toHaveLength(28);

      const day = (await get('/v1/timeline?occurredFrom=2018-01-24&occurredTo=2018-01-24&limit=500')).json().items as TimelineItem[];
      expect(day.length).toBeGreaterThan(0);
      expect(day.every((e) => e.occurredAt.startsWith('2018-01-24'))).toBe(true);
      expect(day).toHaveLength(all.filter((e) => e.occurredAt.startsWith('2018-01-24')).length);

      const later = (await get('/v1/timeline?recordedFrom=2018-01-27&limit=500')).json().items as TimelineItem[];
      expect(later.map((e) => e.type)).toEqual(['EventRetracted']);
      const earlier = (await get('/v1/timeline?recordedTo=2018-01-26&limit=500')).json().items as TimelineItem[];
      expect(earlier).toHaveLength(174);
      const instant = (await get('/v1/timeline?recordedTo=2018-01-26T23:59:59Z&recordedFrom=2018-01-26T00:00:00%2B00:00&limit=500')).json().items;
      expect(instant).toHaveLength(174);
    });

    it('answers reference filters from the projections index exactly as a scan of the log does', async () => {
      const readModel = ledger.app.get<ReadModelDb>(READ_MODEL_DB);
      const head = await ledger.store.headPosition();
      await waitFor(async () => ((await readCheckpoints(readModel.db as never)).get('timeline')?.position ?? -1) >= head, 20000, 'the timeline index');
      const scan = new ScanTimelineSource(ledger.store);
      const filters = [
        { jurisdiction: 'chicago-il' },
        { jurisdiction: 'state-of-california', types: ['CorrectionRecorded', 'LetterSent'] },
        { actor: 'official:jeff-sessions' },
        { actor: 'organization:us-doj', occurredFrom: '2018-01-24' },
        { actor: 'meeting:wh-mayors-2018-01-24' },
      ];
      for (const filter of filters) {
        const expected = (await readTimeline(ledger.store, scan, filter, { limit: 500 })).items.map((e) => e.eventId);
        const query = new URLSearchParams({ limit: '500' });
        for (const [k, v] of Object.entries(filter)) query.set(k === 'types' ? 'type' : k, Array.isArray(v) ? v.join(',') : String(v));
        const indexed = (await get(`/v1/timeline?${query}`)).json().items.map((e: TimelineItem) => e.eventId);
        expect({ filter, ids: indexed }).toEqual({ filter, ids: expected });
        expect(expected.length).toBeGreaterThan(0);
      }
    });

    it.each([
      ['occurredFrom=2018-02-30', 'occurredFrom'],
      ['occurredTo=2018-13-01', 'occurredTo'],
      ['recordedTo=yesterday', 'recordedTo'],
      ['occurredFrom=2018-01-24T10:00', 'occurredFrom'],
      ['type=LetterReceived', 'type'],
      ['actor=chicago', 'actor'],
      ['limit=0', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['colour=red', 'colour'],
    ])('refuses %s with a 400 problem naming %s', async (query, field) => {
      const res = await get(`/v1/timeline?${query}`);
      expect(res.status).toBe(400);
      expect(res.type).toMatch(PROBLEM);
      expect(res.json()).toMatchObject({ code: 'REQUEST.INVALID', errors: [expect.objectContaining({ field })] });
    });
  });

  describe('GET /v1/export', () => {
    it('streams the log as NDJSON that verifies offline against a signed checkpoint', async () => {
      const res = await get('/v1/export?format=ndjson');
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/application\/x-ndjson/);
      const lines = res.body.trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l).eventId)).toEqual(all.map((e) => e.eventId));
      const files = { exportFile: join(ledger.dataDir, 'e.ndjson'), checkpointFile: join(ledger.dataDir, 'c.json'), publicKeyFile: join(ledger.dataDir, 'k.json') };
      writeFileSync(files.exportFile, res.body);
      writeFileSync(files.checkpointFile, (await get('/v1/audit/checkpoints?limit=1')).body);
      writeFileSync(files.publicKeyFile, (await get('/v1/audit/public-key')).body);
      expect(await verifyExportFiles(files)).toMatchObject({ ok: true, eventsChecked: 175, treeSize: 175 });
    });

    it('streams CSV and a filtered range', async () => {
      const csv = await get(`/v1/export?format=csv&jurisdiction=chicago-il`);
      expect(csv.type).toMatch(/text\/csv/);
      expect(csv.body.split('\r\n')[0]).toMatch(/^position,eventId,type,streamId,revision/);
      const range = await get(`/v1/export?afterPosition=${all[9].position}&toPosition=${all[19].position}`);
      expect(range.body.trimEnd().split('\n').map((l) => JSON.parse(l).position)).toEqual(all.slice(10, 20).map((e) => e.position));
    });

    it('refuses an unknown format', async () => {
      const res = await get('/v1/export?format=xml');
      expect(res.status).toBe(400);
      expect(res.type).toMatch(PROBLEM);
      expect(res.json().errors[0].field).toBe('format');
    });
  });

  describe('GET /v1/audit/*', () => {
    it('verifies the whole log', async () => {
      const res = await get('/v1/audit/verify');
      expect(res.json()).toMatchObject({ ok: true, eventsChecked: 175, firstBroken: null, leavesCompared: 175 });
    });

    it('lists signed checkpoints whose signature verifies with the served public key', async () => {
      const key = (await get('/v1/audit/public-key')).json();
      expect(key).toMatchObject({ algorithm: 'Ed25519', keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
      const { items } = (await get('/v1/audit/checkpoints')).json();
      expect(items[0]).toMatchObject({ treeSize: 175, rootHash: expect.stringMatching(/^[0-9a-f]{64}$/), keyId: key.keyId });
      const message = Buffer.from(`ledger-checkpoint/v1\n${items[0].treeSize}\n${items[0].rootHash}\n${items[0].timestamp}\n`);
      expect(verify(null, message, createPublicKey(key.publicKeyPem), Buffer.from(items[0].signature, 'base64'))).toBe(true);
    });

    it('serves inclusion proofs that an independent RFC 9162 verifier accepts', async () => {
      const { items } = (await get('/v1/audit/checkpoints?limit=1')).json();
      const root = fromHex(items[0].rootHash);
      for (const i of [0, 1, 63, 64, 100, 174]) {
        const proof = (await get(`/v1/audit/proofs/${all[i].eventId}?treeSize=175`)).json();
        expect(proof).toMatchObject({ leafIndex: i, treeSize: 175, rootHash: items[0].rootHash, eventHash: all[i].hash });
        expect(rfcVerifyInclusion(i, 175, fromHex(all[i].hash), proof.auditPath.map(fromHex), root)).toBe(true);
      }
    });

    it('serves consistency proofs that an independent RFC 9162 verifier accepts', async () => {
      const res = (await get('/v1/audit/consistency?from=100&to=175')).json();
      expect(rfcVerifyConsistency(100, 175, fromHex(res.fromRootHash), fromHex(res.toRootHash), res.proof.map(fromHex))).toBe(true);
      expect(res.toCheckpoint.treeSize).toBe(175);
    });

    it.each([
      ['/v1/audit/proofs/ALL?treeSize=5', 400, 'REQUEST.INVALID'],
      ['/v1/audit/proofs/00000000-0000-4000-8000-000000000000', 404, 'EVENT.NOT_FOUND'],
      ['/v1/audit/consistency?from=5', 400, 'REQUEST.INVALID'],
      ['/v1/audit/consistency?from=5&to=9999', 400, 'AUDIT.TREE_SIZE_OUT_OF_RANGE'],
      ['/v1/audit/consistency?from=50&to=10', 400, 'AUDIT.TREE_SIZE_OUT_OF_RANGE'],
      ['/v1/audit/verify?deep=1', 400, 'REQUEST.INVALID'],
    ])('%s → %i %s', async (url, status, code) => {
      const res = await get(url);
      expect(res.status).toBe(status);
      expect(res.type).toMatch(PROBLEM);
      expect(res.json().code).toBe(code);
    });

    it('refuses a tree size beyond the log and an event outside the tree', async () => {
      const beyond = await get(`/v1/audit/proofs/${all[0].eventId}?treeSize=176`);
      expect([beyond.status, beyond.json().code]).toEqual([400, 'AUDIT.TREE_SIZE_OUT_OF_RANGE']);
      const outside = await get(`/v1/audit/proofs/${all[150].eventId}?treeSize=100`);
      expect([outside.status, outside.json().code]).toEqual([400, 'AUDIT.EVENT_NOT_IN_TREE']);
    });
  });
});

describe('audit routes need the auditor role', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger({
      apiKeys: [parseKey('ana:analyst:analyst-token-0123456789'), parseKey('aud:auditor:auditor-token-0123456789')],
    });
  });
  afterAll(() => ledger.dispose());

  it.each(['/v1/timeline', '/v1/export', '/v1/audit/verify', '/v1/audit/checkpoints'])('%s: 403 for an analyst, 200 for an auditor', async (url) => {
    const as = (token: string) => ledger.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect((await as('analyst-token-0123456789')).statusCode).toBe(403);
    expect((await as('auditor-token-0123456789')).statusCode).toBe(200);
  });

  it('the public key is public', async () => {
    expect((await ledger.inject({ method: 'GET', url: '/v1/audit/public-key' })).statusCode).toBe(200);
  });
});
