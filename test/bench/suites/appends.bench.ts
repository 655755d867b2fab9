import { join } from 'node:path';
import { kill9, startServer } from '../../support/server-process';
import { loadEmmett, withBusyRetry } from '../lib/emmett';
import { median, medianOf, ratioFigure, type BenchOptions, type Figure } from '../lib/figures';
import { load } from '../lib/http-load';
import { jurisdictionLine, letterData, SOURCE } from '../lib/payloads';
import { RawSqlite } from '../lib/raw-sqlite';

const STREAMS = 1000;
const CLIENTS = [1, 10, 50];

/** Durable HTTP appends at 1, 10 and 50 clients next to raw one-per-transaction inserts and emmett-sqlite. */
export async function appendsBench(options: BenchOptions): Promise<Figure[]> {
  const seconds = options.quick ? 2 : 8;
  const rawCount = options.quick ? 1500 : 5000;
  const emmettCount = options.quick ? 300 : 1000;

  const raw = await medianOf(options.runs, async (run) => {
    const db = new RawSqlite(join(options.workDir, `raw-append-${run}.sqlite`));
    const started = process.hrtime.bigint();
    db.insertOneByOne(rawCount, letterData, STREAMS);
    const rate = rawCount / (Number(process.hrtime.bigint() - started) / 1e9);
    db.close();
    return rate;
  });

  const emmett = await medianOf(options.runs, async (run) => {
    const store = loadEmmett(join(options.workDir, `emmett-append-${run}.sqlite`));
    if (!store) return NaN;
    const started = process.hrtime.bigint();
    for (let i = 0; i < emmettCount; i++) {
      await withBusyRetry(() => store.appendToStream(`jurisdiction-emmett-${i % STREAMS}`, [{ type: 'LetterSent', data: letterData(i) }]));
    }
    return emmettCount / (Number(process.hrtime.bigint() - started) / 1e9);
  });

  // One server per run, loaded with 1, 10 and 50 clients in turn (its log grows across them;
  // a server start per level cost more time than the loads themselves).
  const byClients = new Map<number, number[]>(CLIENTS.map((c) => [c, []]));
  for (let run = 0; run < options.runs; run++) {
    const dataDir = join(options.workDir, `http-append-${run}`);
    const server = await startServer({ LEDGER_DATA_DIR: dataDir, LEDGER_RATE_LIMIT: '0', LOG_LEVEL: 'error' });
    try {
      const lines = Array.from({ length: STREAMS }, (_, j) => jurisdictionLine(j)).join('\n');
      const res = await fetch(`${server.base}/v1/import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines });
      if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
      for (const clients of CLIENTS) {
        const result = await load({
          url: server.base,
          connections: clients,
          seconds,
          method: 'POST',
          request: (i) => ({
            path: `/v1/jurisdictions/bench-${(i * 7919) % STREAMS}/letters`,
            body: JSON.stringify({ ...letterData(i), letterId: `c${clients}-r${run}-${i}`, occurredAt: '2018-01-24', source: SOURCE }),
          }),
        });
        if (result.failed > 0) console.error(`bench: ${result.failed} failed appends at ${clients} clients`);
        byClients.get(clients)!.push(result.rps);
      }
    } finally {
      await kill9(server);
    }
  }

  const figures: Figure[] = [];
  for (const clients of CLIENTS) {
    const rates = median(byClients.get(clients)!);
    figures.push(
      ratioFigure({ figure: `HTTP durable appends/s, ${clients} client${clients > 1 ? 's' : ''}`, value: rates, unit: 'events/s', reference: 'raw better-sqlite3, 1 txn/event, synchronous=FULL', referenceValue: raw, goal: clients === 50 ? '≥ 2×' : undefined }),
    );
    if (clients === 1) {
      figures.push(ratioFigure({ figure: 'HTTP durable appends/s, 1 client', value: rates, unit: 'events/s', reference: 'emmett-sqlite appendToStream, 1 event/call', referenceValue: emmett, goal: '≥ 5×' }));
    }
  }
  return figures;
}
