import 'reflect-metadata';
import {
  AuditStore,
  Checkpointer,
  exportChunks,
  loadOrCreateSigningKey,
  publicKeyDocument,
  verifyExportFiles,
  verifyLog,
} from '@ledger/audit';
import { computeEventHash } from '@ledger/domain';
import { iterateAll, SqliteEventStore } from '@ledger/event-store';
import { openSqliteReadModel } from '@ledger/platform';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, ratioFigure, withPeakRss, type BenchOptions, type Figure } from '../lib/figures';
import { letterEvent } from '../lib/payloads';

const ROOT = join(__dirname, '..', '..', '..', '..');
const STREAMS = 1000;
const REFERENCE = 'raw better-sqlite3 SELECT (JSON parsed) + SHA-256 over the stored row bytes';
const SAME_BYTES = 'readAll through the port + SHA-256 over the bytes the chain hashes (canonical JSON)';

/**
 * Verification and export over a large log (1M events of ~1 KB; 10k with --quick), each
 * next to two references taken in the same run — the floor of "read every row and hash its
 * stored bytes", and "read every event through the port and hash the canonical bytes its
 * chain covers" — plus the peak
 * RSS of `ledger export` (a child process) writing the whole log.
 */
export async function auditBench(options: BenchOptions): Promise<Figure[]> {
  const count = options.quick ? 10_000 : 1_000_000;
  const dataDir = join(options.workDir, 'audit');
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dataDir, 'ledger.sqlite');

  const store = new SqliteEventStore({ file: logFile });
  for (let i = 0; i < count; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, count - i) }, (_, j) => store.append(`jurisdiction-bench-${(i + j) % STREAMS}`, [letterEvent(i + j)])));
  }
  const readModel = openSqliteReadModel(join(dataDir, 'views.sqlite'));
  const audit = new AuditStore(readModel);
  const signer = loadOrCreateSigningKey(dataDir);
  const checkpointer = new Checkpointer(store, audit, signer, { everyEvents: 10_000, everyMs: 0, now: () => new Date() });
  const figures: Figure[] = [];

  // The Merkle record is built once (what the checkpointer does live, here all at once).
  const started = process.hrtime.bigint();
  await checkpointer.sync();
  await checkpointer.checkpointNow();
  const buildRate = count / seconds(started);

  // The machine is shared and its load drifts: each run measures the references and the
  // ledger back to back, and the ratio reported is the median of the per-run ratios.
  const runs: { raw: number; sameBytes: number; verify: number; exported: number; verifyRss: number }[] = [];
  for (let run = 0; run < options.runs; run++) {
    const raw = await rate(count, () => rawReadAndHash(logFile));
    const sameBytes = await rate(count, async () => {
      for await (const e of iterateAll(store, { pageSize: 200 })) computeEventHash(e);
    });
    const verified = await withPeakRss(() =>
      rate(count, async () => {
        const report = await verifyLog(store, { audit, publicKeys: async () => signer.publicKey });
        if (!report.ok || report.eventsChecked !== count) throw new Error(`verification failed: ${JSON.stringify(report)}`);
      }),
    );
    const exported = await rate(count, async () => {
      let bytes = 0;
      for await (const chunk of exportChunks(store, { format: 'ndjson' })) bytes += chunk.length;
      if (bytes === 0) throw new Error('empty export');
    });
    runs.push({ raw, sameBytes, verify: verified.result, exported, verifyRss: verified.peakRssMb });
  }
  const med = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
  const versus = (figure: string, value: (r: (typeof runs)[number]) => number, goal: string, goalId: string, peakRssMb?: number): Figure[] => [
    { figure, value: med(value), unit: 'events/s', reference: REFERENCE, referenceValue: med((r) => r.raw), ratio: med((r) => value(r) / r.raw), goal, goalId, peakRssMb },
    { figure, value: med(value), unit: 'events/s', reference: SAME_BYTES, referenceValue: med((r) => r.sameBytes), ratio: med((r) => value(r) / r.sameBytes), goal, goalId },
  ];
  figures.push(ratioFigure({ figure: `Merkle record build (${count.toLocaleString('en-US')} events, once)`, value: buildRate, unit: 'events/s', reference: REFERENCE, referenceValue: med((r) => r.raw) }));
  figures.push(...versus('verify (chains + Merkle record + checkpoints)', (r) => r.verify, '≥ 0.5×', 'verify', Math.max(...runs.map((r) => r.verifyRss))));
  figures.push(...versus('export NDJSON (in process)', (r) => r.exported, '≥ 0.5×', 'export'));

  // `ledger export` as a user runs it, to a file: its own process, so its peak RSS is its own.
  const exportFile = join(dataDir, 'export.ndjson');
  for (const format of ['ndjson', 'csv'] as const) {
    const out = format === 'ndjson' ? exportFile : join(dataDir, 'export.csv');
    const runs = Array.from({ length: options.runs }, () => cliChild(['--data-dir', dataDir, 'export', '--format', format, '--out', out]));
    figures.push({
      figure: `ledger export --format ${format}, ${count.toLocaleString('en-US')} events (child process; highest RSS of ${runs.length})`,
      value: median(runs.map((r) => count / r.seconds)),
      unit: 'events/s',
      goal: 'peak RSS < 256 MB',
      goalId: 'export-rss',
      peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    });
  }

  const checkpointFile = join(dataDir, 'checkpoint.json');
  const keyFile = join(dataDir, 'key.json');
  writeFileSync(checkpointFile, JSON.stringify(await audit.latestCheckpoint()));
  writeFileSync(keyFile, JSON.stringify(publicKeyDocument(signer.publicKey)));
  const offline = await withPeakRss(() =>
    rate(count, async () => {
      const report = await verifyExportFiles({ exportFile, checkpointFile, publicKeyFile: keyFile });
      if (!report.ok) throw new Error(`offline verification failed: ${JSON.stringify(report.firstBroken)}`);
    }),
  );
  figures.push(ratioFigure({ figure: 'verify --offline (export file + checkpoint)', value: offline.result, unit: 'events/s', reference: REFERENCE, referenceValue: med((r) => r.raw), peakRssMb: offline.peakRssMb }));

  await checkpointer.stop();
  await readModel.close();
  await store.close();
  return figures;
}

const seconds = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;

async function rate(count: number, work: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return count / seconds(started);
}

/** The floor: every row read in pages, its JSON parsed, and SHA-256 over its bytes. */
function rawReadAndHash(file: string): void {
  const db = new Database(file, { readonly: true });
  const stmt = db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 1000');
  let after = -1;
  for (;;) {
    const rows = stmt.all(after) as Record<string, string | number>[];
    for (const r of rows) {
      JSON.parse(String(r.data));
      JSON.parse(String(r.metadata));
      const h = createHash('sha256');
      for (const v of Object.values(r)) h.update(String(v));
      h.digest();
    }
    if (rows.length < 1000) break;
    after = Number(rows[rows.length - 1].position);
  }
  db.close();
}

/** Runs the compiled CLI and reads its peak RSS (getrusage) as it exits. */
function cliChild(args: string[]): { seconds: number; peakRssMb: number } {
  const main = join(ROOT, 'dist', 'apps', 'ledger-cli', 'src', 'main.js');
  const script = `require(${JSON.stringify(main)}).main(['node', 'ledger', ...process.argv.slice(1)]).then((code) => {
    process.exitCode = code;
    process.stderr.write('\\nmaxrss-kb=' + process.resourceUsage().maxRSS + '\\n');
  });`;
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', join(ROOT, 'bin', 'register-paths.js'), '-e', script, '--', ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const took = seconds(started);
  const kb = /maxrss-kb=(\d+)/.exec(result.stderr ?? '')?.[1];
  if (result.status !== 0 || !kb) throw new Error(`ledger ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { seconds: took, peakRssMb: Math.round(Number(kb) / 1024) };
}

