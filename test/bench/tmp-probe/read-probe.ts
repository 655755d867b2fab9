import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { createApp } from '../../../apps/ledger-api/src/app.factory';
import { generateLedger } from '../lib/projection-data';

async function main() {
  const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'readprobe-'));
  const store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite') });
  if ((await store.headPosition()) < 0) await generateLedger(store, 10000);
  await store.close();
  const ledger = await createApp({ env: { LEDGER_RATE_LIMIT: '0', LOG_LEVEL: 'error' }, config: { dataDir: dir }, logger: false });
  const fastify = ledger.app.getHttpAdapter().getInstance();
  const head = (await fastify.inject({ url: '/health' })).json();
  console.log(dir, head.store);
  for (const [label, path] of [['byId', (i: number) => `/v1/jurisdictions/town-${(i * 7919) % 200}`], ['list', (i: number) => `/v1/jurisdictions?state=CA&limit=50`], ['health', () => '/health']] as const) {
    for (let i = 0; i < 200; i++) await fastify.inject({ url: path(i) });
    const c = process.cpuUsage(); const t = Date.now();
    const n = 2000;
    for (let i = 0; i < n; i++) { const r = await fastify.inject({ url: path(i) }); if (r.statusCode !== 200) throw new Error(r.body); }
    const cpu = (process.cpuUsage(c).user + process.cpuUsage(c).system) / 1000;
    console.log(label, 'cpu µs/req', ((cpu * 1000) / n).toFixed(0), 'wall ms', Date.now() - t);
  }
  await ledger.close();
}
main();
