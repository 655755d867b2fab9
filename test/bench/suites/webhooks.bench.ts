import 'reflect-metadata';
import { SqliteEventStore } from '@ledger/event-store';
import { openSqliteReadModel, systemClock } from '@ledger/platform';
import { Recorder } from '@ledger/recorder';
import { createWebhookRuntime, loadWebhookSettings, type WebhookRuntime } from '@ledger/webhooks';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { median, ratioFigure, withPeakRss, type BenchOptions, type Figure } from '../lib/figures';
import { letterEvent } from '../lib/payloads';

/**
 * Webhook delivery to a local receiver (same machine, loopback, 204 at once):
 * - deliveries/s draining a backlog, with 1 and with 50 subscriptions, next to plain
 *   undici POSTs of the same bodies to the same receiver (1 and 50 loops): the floor of
 *   HTTP alone, without signing, the outbox and the delivery log;
 * - append → delivery latency p50/p99 with the dispatcher keeping up: 100 appends/s to 1
 *   subscription, 10 appends/s to 50 (500 deliveries/s).
 * Run: `node -r ./test/bench/swc-register.js test/bench/webhooks.bench.ts [--quick]`.
 */
export async function webhooksBench(options: BenchOptions): Promise<Figure[]> {
  const perSub = options.quick ? 250 : 2000;
  const figures: Figure[] = [];
  for (const subs of [1, 50]) {
    const events = subs === 1 ? perSub * 4 : Math.max(100, Math.round(perSub / 5));
    const rates: number[] = [];
    const floors: number[] = [];
    let peakRssMb = 0;
    for (let run = 0; run < options.runs; run++) {
      // In this process: the store, the dispatcher and the receiver together.
      const { result, peakRssMb: rss } = await withPeakRss(() => drainRate(options.workDir, subs, events));
      rates.push(result);
      peakRssMb = Math.max(peakRssMb, rss);
      floors.push(await rawPostRate(subs, events));
    }
    figures.push(
      ratioFigure({
        figure: `webhook deliveries/s, ${subs} subscription${subs > 1 ? 's' : ''} (backlog of ${events} events${subs > 1 ? ' each' : ''})`,
        value: median(rates),
        unit: 'deliveries/s',
        reference: `undici POST loop${subs > 1 ? 's' : ''} to the same receiver (${subs} concurrent), no signing/outbox/log`,
        referenceValue: median(floors),
        peakRssMb,
      }),
    );
  }
  for (const [subs, perSecond] of [[1, 100], [50, 10]]) {
    const { p50, p99 } = await latency(options.workDir, subs, options.quick ? 50 : 600, perSecond);
    const label = `${subs} subscription${subs > 1 ? 's' : ''}, ${perSecond} appends/s`;
    figures.push({ figure: `append → delivery latency p50 (${label})`, value: p50, unit: 'ms' });
    figures.push({ figure: `append → delivery latency p99 (${label})`, value: p99, unit: 'ms' });
  }
  return figures;
}

interface Setup {
  store: SqliteEventStore;
  runtime: WebhookRuntime;
  receiver: Server;
  arrivals: Map<string, number>;
  deliveries: () => number;
  close(): Promise<void>;
}

async function setup(workDir: string, subs: number): Promise<Setup> {
  const dir = mkdtempSync(join(workDir, 'webhooks-'));
  const arrivals = new Map<string, number>();
  let count = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      const at = performance.now();
      const id = /"eventId":"([^"]+)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
      if (id && !arrivals.has(id)) arrivals.set(id, at);
      res.writeHead(204).end();
    });
  });
  receiver.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite') });
  const readModel = openSqliteReadModel(join(dir, 'views.sqlite'));
  const runtime = createWebhookRuntime({
    store,
    readModel,
    clock: systemClock,
    recorder: new Recorder(store, systemClock),
    dataDir: dir,
    settings: loadWebhookSettings({ LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${port}` }),
  });
  await runtime.migrate();
  for (let i = 0; i < subs; i++) await runtime.admin.create({ url: `http://127.0.0.1:${port}/hook/${i}` }, { name: 'bench' });
  return {
    store,
    runtime,
    receiver,
    arrivals,
    deliveries: () => count,
    close: async () => {
      await runtime.close();
      await readModel.close();
      await store.close();
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function appendBacklog(store: SqliteEventStore, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const batch = Array.from({ length: Math.min(500, n - i) }, (_, j) => letterEvent(i + j));
    await Promise.all(batch.map((e, j) => store.append(`jurisdiction-bench-${(i + j) % 100}`, [e])));
    ids.push(...batch.map((e) => e.eventId));
  }
  return ids;
}

/** Appends a backlog, then starts the dispatcher and times until every delivery arrived. */
export async function drainRate(workDir: string, subs: number, events: number): Promise<number> {
  const s = await setup(workDir, subs);
  try {
    await appendBacklog(s.store, events);
    const started = performance.now();
    await s.runtime.dispatcher.start();
    await until(() => s.deliveries() >= subs * events, 600_000);
    return (subs * events) / ((performance.now() - started) / 1000);
  } finally {
    await s.close();
  }
}

/** Appends at a steady rate with the dispatcher running; latency is append-acknowledged → first arrival. */
export async function latency(workDir: string, subs: number, events: number, perSecond: number): Promise<{ p50: number; p99: number }> {
  const s = await setup(workDir, subs);
  try {
    await s.runtime.dispatcher.start();
    const appendedAt = new Map<string, number>();
    for (let i = 0; i < events; i++) {
      const e = letterEvent(i);
      await s.store.append(`jurisdiction-bench-${i % 100}`, [e]);
      appendedAt.set(e.eventId, performance.now());
      await new Promise((r) => setTimeout(r, 1000 / perSecond));
    }
    await until(() => s.deliveries() >= subs * events, 120_000);
    const lat = [...appendedAt].map(([id, at]) => s.arrivals.get(id)! - at).sort((a, b) => a - b);
    return { p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] };
  } finally {
    await s.close();
  }
}

/** The floor: the same bodies POSTed by `loops` concurrent undici loops, nothing else. */
async function rawPostRate(loops: number, perLoop: number): Promise<number> {
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  receiver.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const agent = new Agent();
  const body = JSON.stringify({ type: 'LetterSent', timestamp: new Date().toISOString(), data: letterEvent(0) });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async () => {
      for (let i = 0; i < perLoop; i++) {
        const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent });
        await res.body.dump();
      }
    }),
  );
  const rate = (loops * perLoop) / ((performance.now() - started) / 1000);
  await agent.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  return rate;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for deliveries');
    await new Promise((r) => setTimeout(r, 5));
  }
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const workDir = mkdtempSync(join(tmpdir(), 'ledger-bench-webhooks-'));
  mkdirSync(workDir, { recursive: true });
  webhooksBench({ quick, runs: quick ? 1 : 3, workDir })
    .then((figures) => {
      for (const f of figures) {
        const ref = f.referenceValue === undefined ? '' : ` | ${f.reference}: ${Math.round(f.referenceValue)} (ratio ${f.ratio?.toFixed(2)}×)`;
        process.stdout.write(`${f.figure}: ${f.value >= 100 ? Math.round(f.value) : f.value.toFixed(1)} ${f.unit}${ref}\n`);
      }
    })
    .catch((error) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = 1;
    })
    .finally(() => rmSync(workDir, { recursive: true, force: true }));
}
