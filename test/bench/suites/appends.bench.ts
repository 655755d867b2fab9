import { join } from 'node:path';
import { kill9, startServer } from '../../support/server-process';
import { startBareNest } from '../lib/bare-nest';
import { loadEmmett, withBusyRetry } from '../lib/emmett';
import { childPeakRssMb, median, medianOf, ratioFigure, type BenchOptions, type Figure } from '../lib/figures';
import { load } from '../lib/http-load';
import { jurisdictionLine, letterData, SOURCE } from '../lib/payloads';
import { RawSqlite } from '../lib/raw-sqlite';

const STREAMS = 1000;
const CLIENTS = [1, 10, 50];
const THREAD = 'background work in a thread of the api (LEDGER_BACKGROUND=thread)';
const BOUND = 'NestJS route, same body and pipe, then the raw insert in a group commit (synchronous=FULL), nothing else';

/** Durable HTTP appends at 1, 10 and 50 clients next to raw one-per-transaction inserts and emmett-sqlite. */
export async function appendsBench(options: BenchOptions): Promise<Figure[]> {
  const seconds = options.quick ? 1 : 8;
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

  // Per run: the embedded server loaded with 1, 10 and 50 clients in turn (its log grows
  // across them), then the same server with its background work (projector, dispatcher,
  // checkpointer, watcher) left to a `ledger worker` (LEDGER_BACKGROUND=false), then with
  // it in a worker thread (LEDGER_BACKGROUND=thread) at 1 and 50 clients, then the
  // framework's floor: a validated POST of the same body that stores nothing. The ledger
  // servers start together (an idle server costs nothing while another is loaded).
  const byClients = new Map<number, number[]>(CLIENTS.map((c) => [c, []]));
  const apiOnly: number[] = [];
  const threadOne: number[] = [];
  const threadFifty: number[] = [];
  const floor: number[] = [];
  const floorOne: number[] = [];
  // The bound: the same route and pipe, then the raw reference's insert in a group commit.
  const boundOne: number[] = [];
  const boundFifty: number[] = [];
  // Highest server RSS over the runs (the embedded server's covers its 1, 10 and 50 clients).
  let embeddedRss = 0;
  let apiOnlyRss = 0;
  let threadRss = 0;
  const peak = (seen: number, pid: number | undefined) => Math.max(seen, childPeakRssMb(pid) ?? 0);
  const letters = (i: number) => `/v1/jurisdictions/bench-${(i * 7919) % STREAMS}/letters`;
  const bare = await startBareNest(4096, { logFile: join(options.workDir, 'bare-durable.sqlite') });
  try {
    for (let run = 0; run < options.runs; run++) {
      const env = { LEDGER_RATE_LIMIT: '0', LOG_LEVEL: 'error' };
      const [embedded, api, thread] = await Promise.all([
        startServer({ ...env, LEDGER_DATA_DIR: join(options.workDir, `http-append-${run}`) }),
        startServer({ ...env, LEDGER_DATA_DIR: join(options.workDir, `http-append-api-only-${run}`), LEDGER_BACKGROUND: 'false' }),
        startServer({ ...env, LEDGER_DATA_DIR: join(options.workDir, `http-append-thread-${run}`), LEDGER_BACKGROUND: 'thread' }),
      ]);
      try {
        await Promise.all([seed(embedded.base), seed(api.base), seed(thread.base)]);
        // A short warm-up, so that the 1-client figure does not measure the JIT compiler.
        await postLetters(embedded.base, 10, 1, letters, `warm-r${run}`);
        for (const clients of CLIENTS) {
          const result = await postLetters(embedded.base, clients, seconds, letters, `c${clients}-r${run}`);
          if (result.failed > 0) console.error(`bench: ${result.failed} failed appends at ${clients} clients`);
          byClients.get(clients)!.push(result.rps);
        }
        embeddedRss = peak(embeddedRss, embedded.child.pid);
        await kill9(embedded);
        apiOnly.push((await postLetters(api.base, 50, seconds, letters, `api-only-${run}`)).rps);
        apiOnlyRss = peak(apiOnlyRss, api.child.pid);
        await kill9(api);
        await postLetters(thread.base, 10, 1, letters, `warm-thread-r${run}`);
        threadOne.push((await postLetters(thread.base, 1, seconds, letters, `thread-c1-r${run}`)).rps);
        threadFifty.push((await postLetters(thread.base, 50, seconds, letters, `thread-c50-r${run}`)).rps);
        threadRss = peak(threadRss, thread.child.pid);
      } finally {
        await Promise.all([kill9(embedded), kill9(api), kill9(thread)]);
      }
      await postLetters(bare.base, 10, 1, (i) => `/bare/letters/bench-${i % STREAMS}`, `warm-${run}`);
      floorOne.push((await postLetters(bare.base, 1, seconds, (i) => `/bare/letters/bench-${i % STREAMS}`, `floor1-${run}`)).rps);
      floor.push((await postLetters(bare.base, 50, seconds, (i) => `/bare/letters/bench-${i % STREAMS}`, `floor-${run}`)).rps);
      boundOne.push((await postLetters(bare.base, 1, seconds, (i) => `/bare-durable/letters/bench-${i % STREAMS}`, `bound1-${run}`)).rps);
      boundFifty.push((await postLetters(bare.base, 50, seconds, (i) => `/bare-durable/letters/bench-${i % STREAMS}`, `bound-${run}`)).rps);
    }
  } finally {
    bare.stop();
  }

  const figures: Figure[] = [];
  for (const clients of CLIENTS) {
    const rates = median(byClients.get(clients)!);
    figures.push(
      ratioFigure({
        figure: `HTTP durable appends/s, ${clients} client${clients > 1 ? 's' : ''}`,
        value: rates,
        unit: 'events/s',
        reference: 'raw better-sqlite3, 1 txn/event, synchronous=FULL',
        referenceValue: raw,
        goal: clients === 50 ? '≥ 2×' : undefined,
        goalId: clients === 50 ? 'appends-50' : undefined,
        peakRssMb: clients === 50 && embeddedRss ? embeddedRss : undefined,
      }),
    );
    if (clients === 1) {
      figures.push(ratioFigure({ figure: 'HTTP durable appends/s, 1 client', value: rates, unit: 'events/s', reference: 'emmett-sqlite appendToStream, 1 event/call', referenceValue: emmett, goal: '≥ 5×', goalId: 'appends-1' }));
    }
  }
  const fifty = median(byClients.get(50)!);
  const floorLabel = (clients: number) => `NestJS on Fastify, same body through the same validation pipe, nothing stored (${clients} client${clients > 1 ? 's' : ''})`;
  figures.push(
    ratioFigure({ figure: 'HTTP durable appends/s, 1 client', value: median(byClients.get(1)!), unit: 'events/s', reference: floorLabel(1), referenceValue: median(floorOne) }),
    ratioFigure({ figure: 'HTTP durable appends/s, 50 clients, background work in a worker (LEDGER_BACKGROUND=false)', value: median(apiOnly), unit: 'events/s', reference: 'raw better-sqlite3, 1 txn/event, synchronous=FULL', referenceValue: raw, goal: '≥ 2×', goalId: 'appends-50', peakRssMb: apiOnlyRss || undefined }),
    ratioFigure({ figure: 'HTTP durable appends/s, 50 clients', value: fifty, unit: 'events/s', reference: floorLabel(50), referenceValue: median(floor) }),
    ratioFigure({ figure: 'HTTP durable appends/s, 50 clients, background work in a worker (LEDGER_BACKGROUND=false)', value: median(apiOnly), unit: 'events/s', reference: floorLabel(50), referenceValue: median(floor) }),
    ratioFigure({ figure: `HTTP durable appends/s, 1 client, ${THREAD}`, value: median(threadOne), unit: 'events/s', reference: 'emmett-sqlite appendToStream, 1 event/call', referenceValue: emmett, goal: '≥ 5×', goalId: 'appends-1' }),
    ratioFigure({ figure: `HTTP durable appends/s, 50 clients, ${THREAD}`, value: median(threadFifty), unit: 'events/s', reference: 'raw better-sqlite3, 1 txn/event, synchronous=FULL', referenceValue: raw, goal: '≥ 2×', goalId: 'appends-50', peakRssMb: threadRss || undefined }),
    ratioFigure({ figure: `HTTP durable appends/s, 50 clients, ${THREAD}`, value: median(threadFifty), unit: 'events/s', reference: 'the embedded server (same run)', referenceValue: fifty }),
  );
  // What the goals allow at all: a hand-written route that stores the body durably and
  // does nothing else, measured against the goals' own references.
  const boundLabel = (clients: number) => `${BOUND} (${clients} client${clients > 1 ? 's' : ''})`;
  figures.push(
    ratioFigure({ figure: `bound: ${boundLabel(1)}`, value: median(boundOne), unit: 'events/s', reference: 'emmett-sqlite appendToStream, 1 event/call', referenceValue: emmett, goal: '≥ 5×', goalId: 'appends-1', bound: true, note: 'the best the 1-client goal (≥ 5×) could reach' }),
    ratioFigure({ figure: `bound: ${boundLabel(50)}`, value: median(boundFifty), unit: 'events/s', reference: 'raw better-sqlite3, 1 txn/event, synchronous=FULL', referenceValue: raw, goal: '≥ 2×', goalId: 'appends-50', bound: true, note: 'the best the 50-client goal (≥ 2×) could reach' }),
    ratioFigure({ figure: `HTTP durable appends/s, 1 client, ${THREAD}`, value: median(threadOne), unit: 'events/s', reference: boundLabel(1), referenceValue: median(boundOne) }),
    ratioFigure({ figure: `HTTP durable appends/s, 50 clients, ${THREAD}`, value: median(threadFifty), unit: 'events/s', reference: boundLabel(50), referenceValue: median(boundFifty) }),
  );
  return figures;
}

/** The 1000 jurisdictions the letters go to, in one import. */
async function seed(base: string): Promise<void> {
  const lines = Array.from({ length: STREAMS }, (_, j) => jurisdictionLine(j)).join('\n');
  const res = await fetch(`${base}/v1/import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines });
  if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
}

/** `clients` connections POSTing ~1 KB letters for `seconds`, each with a letter id of its own. */
function postLetters(base: string, clients: number, seconds: number, path: (i: number) => string, tag: string) {
  return load({
    url: base,
    connections: clients,
    seconds,
    method: 'POST',
    request: (i) => ({ path: path(i), body: JSON.stringify({ ...letterData(i), letterId: `${tag}-${i}`, occurredAt: '2018-01-24', source: SOURCE }) }),
  });
}
