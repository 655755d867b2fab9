import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, kill9, startServer } from '../support/server-process';

describe('an acknowledged append survives kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-kill-'));
  beforeAll(() => buildOnce(), 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every event answered with 201 when the server is killed mid-stream', async () => {
    const server = await startServer({ LEDGER_DATA_DIR: dataDir });
    const post = (path: string, body: object) =>
      fetch(server.base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' })).status).toBe(201);
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await post('/v1/jurisdictions/chicago-il/letters', {
            letterId: `w${w}-${i}`, from: 'organization:us-doj', subject: 'Records', demands: ['All'], threats: [], occurredAt: '2018-01-24', source: { publication: 'TheBlaze' },
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { eventId: string }).eventId);
        } catch {
          return; // the server died under us
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 10));
    await kill9(server);
    stop = true;
    await Promise.all(writers);

    const again = await startServer({ LEDGER_DATA_DIR: dataDir });
    try {
      const res = await fetch(`${again.base}/v1/streams/jurisdiction-chicago-il?limit=1000`);
      const stored = ((await res.json()) as { events: { eventId: string }[] }).events.map((e) => e.eventId);
      const storedSet = new Set(stored);
      expect(stored.length).toBe(storedSet.size);
      const lost = acknowledged.filter((id) => !storedSet.has(id));
      expect(lost).toEqual([]);
    } finally {
      await kill9(again);
    }
  }, 120_000);
});
