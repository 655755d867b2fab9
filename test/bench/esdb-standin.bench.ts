/**
 * Append and readAll rates of the esdb adapter against the in-repo stand-in, and the
 * adapter's cost per call over the bare vendor client (the gateway) on the same server.
 *
 *   node -r ./test/bench/swc-register.js test/bench/esdb-standin.bench.ts [--quick]
 *
 * The stand-in runs in a child process (an in-memory test double on loopback), so these
 * figures describe the adapter's own work and round trips, and NOTHING about a real
 * EventStoreDB cluster (disk, replication, network). Not a test: nothing is asserted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BEFORE_FIRST, iterateAll } from '@ledger/event-store';
import { EsdbEventStore, EsdbGateway } from '../../libs/event-store/src/esdb';
import { newEvent } from '../support/events';

const quick = process.argv.includes('--quick');
const N = quick ? 300 : 2000;
const RUNS = quick ? 1 : 3;
/** About 1 KB of JSON data, as in the SQLite reference figures. */
const payload = { subject: 'x'.repeat(900), demands: ['one', 'two'], n: 0 };

interface Row {
  what: string;
  value: string;
}

async function startStandIn(): Promise<{ child: ChildProcess; connectionString: string; calls(): Promise<Record<string, number>> }> {
  const child = fork(join(__dirname, '..', 'esdb-standin', 'main.ts'), ['0'], {
    execArgv: ['-r', join(__dirname, 'swc-register.js')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const connectionString = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { ready?: string }) => (m.ready ? resolve(m.ready) : reject(new Error('stand-in did not start'))));
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
  });
  const calls = () =>
    new Promise<Record<string, number>>((resolve) => {
      child.once('message', (m: { calls?: Record<string, number> }) => resolve(m.calls ?? {}));
      child.send({ cmd: 'calls' });
    });
  return { child, connectionString, calls };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(run: () => Promise<number>): Promise<{ ms: number; count: number }> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    count = await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), count };
}

const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000).toLocaleString('en')} /s`;
const perCall = (ms: number, count: number) => `${((ms / count) * 1000).toFixed(0)} µs`;

async function main(): Promise<void> {
  const server = await startStandIn();
  const rows: Row[] = [];
  const store = new EsdbEventStore({ connectionString: server.connectionString, logger: { warn: () => undefined } });
  const gateway = EsdbGateway.connect(server.connectionString);
  try {
    // Warm up both clients (connection, server features, JIT).
    for (let i = 0; i < 50; i++) {
      await store.append(`jurisdiction-warm-${i}`, [newEvent('TestHappened', payload)]);
      await gateway.append(`warm-raw-${i}`, [{ eventId: randomUUID(), type: 'TestHappened', data: payload, metadata: {} }], 'any');
    }

    // 1. One event per call, one call at a time: the latency view.
    let run = 0;
    const raw = await timed(async () => {
      run++;
      for (let i = 0; i < N; i++) {
        await gateway.append(`raw-${run}-${i % 100}`, [{ eventId: randomUUID(), type: 'TestHappened', data: payload, metadata: {} }], 'any');
      }
      return N;
    });
    const before = await server.calls();
    const adapter = await timed(async () => {
      run++;
      for (let i = 0; i < N; i++) await store.append(`jurisdiction-seq-${run}-${i % 100}`, [newEvent('TestHappened', payload)]);
      return N;
    });
    const after = await server.calls();
    const callsPerAppend =
      Object.keys(after).reduce((sum, k) => sum + (after[k] - (before[k] ?? 0)), 0) / (N * RUNS);
    rows.push({ what: `vendor client append, 1 event/call, sequential (${N})`, value: `${rate(raw.count, raw.ms)}  (${perCall(raw.ms, raw.count)}/call)` });
    rows.push({ what: `adapter append, 1 event/call, sequential (${N})`, value: `${rate(adapter.count, adapter.ms)}  (${perCall(adapter.ms, adapter.count)}/call)` });
    rows.push({
      what: 'adapter overhead per append over one vendor append',
      value: `${(((adapter.ms / adapter.count) - (raw.ms / raw.count)) * 1000).toFixed(0)} µs, ${callsPerAppend.toFixed(1)} gRPC calls per append (vendor: 1)`,
    });

    // 2. Many appends in flight over many streams: the throughput view.
    const concurrent = await timed(async () => {
      run++;
      let next = 0;
      const worker = async () => {
        while (next < N) {
          const i = next++;
          await store.append(`jurisdiction-par-${run}-${i % 200}`, [newEvent('TestHappened', payload)]);
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
      return N;
    });
    rows.push({ what: `adapter append, 1 event/call, 32 in flight over 200 streams (${N})`, value: rate(concurrent.count, concurrent.ms) });

    // 3. Batches of 100 events per append (an import).
    const batches = await timed(async () => {
      run++;
      const count = Math.max(1, Math.floor(N / 100));
      for (let b = 0; b < count; b++) {
        await store.append(`jurisdiction-batch-${run}-${b}`, Array.from({ length: 100 }, () => newEvent('TestHappened', payload)));
      }
      return count * 100;
    });
    rows.push({ what: `adapter append, 100 events/call`, value: rate(batches.count, batches.ms) });

    // 4. Reading $all: the adapter's filtered pages against the vendor's raw $all.
    const total = (await store.readAll({ after: BEFORE_FIRST })).length;
    const readAll = await timed(async () => {
      let count = 0;
      for await (const _ of iterateAll(store, { pageSize: 1000 })) count++;
      return count;
    });
    rows.push({ what: `adapter readAll, pages of 1000 (${total} ledger events)`, value: rate(readAll.count, readAll.ms) });
    const readPrefix = await timed(async () => (await store.readAll({ after: BEFORE_FIRST, streamPrefixes: ['jurisdiction-seq-'] })).length);
    rows.push({ what: `adapter readAll, server-side prefix filter (${readPrefix.count} of ${total})`, value: rate(readPrefix.count, readPrefix.ms) });
    // The same server-side filter through the bare vendor subscription, in one go: the floor for readAll.
    const rawAll = await timed(
      () =>
        new Promise<number>((resolve, reject) => {
          let count = 0;
          const sub = gateway.subscribeAll('start', { on: 'stream', regex: '^[^$]' }, {
            onEvent: () => void count++,
            onCaughtUp: () => void sub.stop().then(() => resolve(count)),
            onDrop: reject,
          });
        }),
    );
    rows.push({ what: `vendor client, same filtered $all catch-up in one subscription (${rawAll.count})`, value: rate(rawAll.count, rawAll.ms) });
    rows.push({
      what: 'adapter readAll cost per event over the vendor client',
      value: `${(((readAll.ms / readAll.count) - (rawAll.ms / rawAll.count)) * 1000).toFixed(1)} µs (mapping, client-side filter, a subscription per page)`,
    });
    const streamRead = await timed(async () => (await store.readStream(`jurisdiction-batch-${run}-0`)).length);
    rows.push({ what: `adapter readStream (${streamRead.count} events)`, value: rate(streamRead.count, streamRead.ms) });
  } finally {
    await store.close();
    await gateway.close();
    server.child.kill('SIGTERM');
  }

  const width = Math.max(...rows.map((r) => r.what.length));
  process.stdout.write(
    `\nesdb adapter against the in-memory stand-in (loopback, separate process, ~1 KB events, median of ${RUNS}; ` +
      `says nothing about a real EventStoreDB cluster)\n\n`,
  );
  for (const r of rows) process.stdout.write(`  ${r.what.padEnd(width)}  ${r.value}\n`);
  process.stdout.write('\n');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
