import { ManualClock } from '@ledger/platform';
import { SqliteEventStore, BEFORE_FIRST } from '@ledger/event-store';
import { Importer, Recorder } from '@ledger/recorder';
import { join } from 'node:path';
import { loadEmmett, withBusyRetry } from '../lib/emmett';
import { medianOf, ratioFigure, withPeakRss, type BenchOptions, type Figure } from '../lib/figures';
import { jurisdictionLine, letterData, letterLine } from '../lib/payloads';
import { RawSqlite, rawReadAllRate } from '../lib/raw-sqlite';

const STREAMS = 1000;

/** Batch import and readAll through the ledger, next to raw better-sqlite3 and emmett-sqlite. */
export async function storeBench(options: BenchOptions): Promise<Figure[]> {
  const events = options.quick ? 10_000 : 100_000;
  const figures: Figure[] = [];

  // Batch import: the ledger's all-or-nothing importer (validate, decide, one atomic append).
  let importRss = 0;
  const ledgerImport = await medianOf(options.runs, async (run) => {
    const store = new SqliteEventStore({ file: join(options.workDir, `import-${run}.sqlite`) });
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const importer = new Importer(store, new Recorder(store, clock), clock);
    await importer.importLines(Array.from({ length: STREAMS }, (_, j) => jurisdictionLine(j)), { recordedBy: 'bench' });
    const lines = Array.from({ length: events }, (_, i) => letterLine(i % STREAMS, i));
    const { result: seconds, peakRssMb } = await withPeakRss(async () => {
      const started = process.hrtime.bigint();
      // Files of this size are imported in chunks of 10k lines, each all-or-nothing.
      for (let i = 0; i < lines.length; i += 10_000) await importer.importLines(lines.slice(i, i + 10_000), { recordedBy: 'bench' });
      return Number(process.hrtime.bigint() - started) / 1e9;
    });
    importRss = Math.max(importRss, peakRssMb);
    await store.close();
    return events / seconds;
  });
  const rawBatched = await medianOf(options.runs, async (run) => {
    const db = new RawSqlite(join(options.workDir, `raw-batch-${run}.sqlite`));
    const started = process.hrtime.bigint();
    db.insertBatched(events, letterData, 100, STREAMS);
    const rate = events / (Number(process.hrtime.bigint() - started) / 1e9);
    db.close();
    return rate;
  });
  const emmettEvents = Math.min(events, options.quick ? 5_000 : 20_000);
  const emmettBatched = await medianOf(options.runs, async (run) => {
    const store = loadEmmett(join(options.workDir, `emmett-batch-${run}.sqlite`));
    if (!store) return NaN;
    const started = process.hrtime.bigint();
    for (let i = 0; i < emmettEvents; i += 100) {
      const batch = Array.from({ length: 100 }, (_, k) => ({ type: 'LetterSent', data: letterData(i + k) }));
      await withBusyRetry(() => store.appendToStream(`jurisdiction-emmett-${(i / 100) % STREAMS}`, batch));
    }
    return emmettEvents / (Number(process.hrtime.bigint() - started) / 1e9);
  });
  figures.push(ratioFigure({ figure: 'batch import events/s', value: ledgerImport, unit: 'events/s', reference: 'raw better-sqlite3, transactions of 100', referenceValue: rawBatched, goal: '≥ 0.5×', goalId: 'import', peakRssMb: importRss }));
  figures.push(ratioFigure({ figure: 'batch import events/s', value: ledgerImport, unit: 'events/s', reference: 'emmett-sqlite appendToStream, 100 events/call', referenceValue: emmettBatched }));

  // readAll over the log just written (all of it, JSON parsed), in pages of 1000.
  const store = new SqliteEventStore({ file: join(options.workDir, 'import-0.sqlite') });
  let readRss = 0;
  const ledgerRead = await medianOf(options.runs, async () => {
    const { result, peakRssMb } = await withPeakRss(async () => {
      const started = process.hrtime.bigint();
      let after = BEFORE_FIRST;
      let n = 0;
      for (;;) {
        const page = await store.readAll({ after, limit: 1000 });
        n += page.length;
        if (page.length < 1000) break;
        after = page[page.length - 1].position;
      }
      return n / (Number(process.hrtime.bigint() - started) / 1e9);
    });
    readRss = Math.max(readRss, peakRssMb);
    return result;
  });
  await store.close();
  // The reference is a raw SELECT of the same rows: the ledger's own file, with its
  // hash columns and its metadata (source, recorder). The raw inserts' own rows (no hashes,
  // 22 bytes of metadata) are read too, as a second reference.
  const rawReadOf = (file: string) => medianOf(options.runs, async () => rawReadAllRate(join(options.workDir, file)));
  const rawRead = await rawReadOf('import-0.sqlite');
  const rawReadMinimal = await rawReadOf('raw-batch-0.sqlite');
  const emmettRead = await medianOf(options.runs, async () => {
    const emmett = loadEmmett(join(options.workDir, 'emmett-batch-0.sqlite'));
    if (!emmett) return NaN;
    const started = process.hrtime.bigint();
    let n = 0;
    const streams = Math.min(STREAMS, emmettEvents / 100);
    for (let s = 0; s < streams; s++) n += (await emmett.readStream(`jurisdiction-emmett-${s}`)).events.length;
    return n / (Number(process.hrtime.bigint() - started) / 1e9);
  });
  figures.push(
    ratioFigure({ figure: 'readAll events/s', value: ledgerRead, unit: 'events/s', reference: 'raw better-sqlite3 SELECT of the same rows, JSON parsed', referenceValue: rawRead, goal: '≥ 0.5×', goalId: 'readall', peakRssMb: readRss }),
    ratioFigure({ figure: 'readAll events/s', value: ledgerRead, unit: 'events/s', reference: "raw better-sqlite3 SELECT of the raw inserts' own rows (no hashes, 22-byte metadata), JSON parsed", referenceValue: rawReadMinimal }),
  );
  figures.push(ratioFigure({ figure: 'readAll events/s', value: ledgerRead, unit: 'events/s', reference: 'emmett-sqlite readStream', referenceValue: emmettRead, goal: '≥ 2×', goalId: 'readall-emmett' }));
  return figures;
}
