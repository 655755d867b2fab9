import { randomUUID } from 'node:crypto';
import { startTestLedger, type TestLedger } from '../support/app';

const LETTER = { from: 'organization:us-doj', subject: 'Records', demands: ['All documents'], threats: ['subpoena'], occurredAt: '2018-01-24', source: { publication: 'TheBlaze' } };

describe('concurrent writers over real HTTP', () => {
  let ledger: TestLedger;
  let base: string;
  beforeAll(async () => {
    ledger = await startTestLedger();
    await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ledger.app.getHttpServer().address() as { port: number }).port}`;
    await post('/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' });
  });
  afterAll(async () => ledger.dispose());

  async function post(path: string, body: object) {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('50 appends expecting the same revision: exactly one 201, 49 × 409 naming the actual revision', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post('/v1/jurisdictions/chicago-il/letters', { ...LETTER, letterId: `race-${i}`, expectedRevision: 0 })),
    );
    const created = results.filter((r) => r.status === 201);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    for (const c of conflicts) expect(c.body).toMatchObject({ code: 'STREAM.REVISION_CONFLICT', actualRevision: 1 });
    expect((await ledger.store.readStream('jurisdiction-chicago-il')).length).toBe(2);
  });

  it('50 appends without an expected revision all land, in distinct increasing positions', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post('/v1/jurisdictions/chicago-il/letters', { ...LETTER, letterId: `free-${i}` })),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const positions = results.map((r) => r.body.position as number);
    expect(new Set(positions).size).toBe(50);
    const revisions = results.map((r) => r.body.revision as number).sort((a, b) => a - b);
    expect(revisions).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
  });

  it('a repeated eventId stores nothing and answers with the original result', async () => {
    const eventId = randomUUID();
    const first = await post('/v1/jurisdictions/chicago-il/letters', { ...LETTER, letterId: 'idem', eventId });
    const head = await ledger.store.headPosition();
    const again = await Promise.all(Array.from({ length: 5 }, () => post('/v1/jurisdictions/chicago-il/letters', { ...LETTER, letterId: 'idem', eventId })));
    expect(first.status).toBe(201);
    for (const a of again) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual(first.body);
    }
    expect(await ledger.store.headPosition()).toBe(head);
  });
});
