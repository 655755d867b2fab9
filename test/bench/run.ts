import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions, Figure } from './lib/figures';
import { goalMet, goalsTable } from './lib/goals';
import { SUITES } from './suites';

/**
 * `npm run bench [-- --quick] [-- --only a,b]`. Every figure sits next to a reference
 * measured in the same run, since this machine is shared and noisy: ratios are the point,
 * absolute numbers are printed but never asserted.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? (args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined);
  const only = onlyArg ? onlyArg.split(',') : undefined;
  const workDir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const options: BenchOptions = { quick, runs: 3, workDir };
  const figures: Figure[] = [];
  const started = Date.now();
  const loadBefore = loadavg()[0];
  try {
    for (const [name, suite] of Object.entries(SUITES)) {
      if (only && !only.includes(name)) continue;
      process.stderr.write(`bench: ${name} …\n`);
      const t = Date.now();
      try {
        figures.push(...(await suite(options)));
      } catch (error) {
        process.stderr.write(`bench: ${name} failed: ${(error as Error).stack}\n`);
        process.exitCode = 1;
      }
      process.stderr.write(`bench: ${name} took ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  report(figures, { quick, seconds: (Date.now() - started) / 1000, load: [loadBefore, loadavg()[0]] });
}

function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '—';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

function report(measured: Figure[], run: { quick: boolean; seconds: number; load: number[] }): void {
  const figures = measured.map((f) => (f.goal ? { ...f, met: goalMet(f) } : f));
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${run.load.map((l) => l.toFixed(1)).join(' → ')} (start → end of the run); ${Math.round(run.seconds)} s`;
  const header = '| figure | value | reference | reference value | ratio | goal | peak RSS |';
  const rows = figures.map(
    (f) =>
      `| ${f.figure} | ${fmt(f.value)} ${f.unit} | ${f.reference ?? '—'} | ${fmt(f.referenceValue)} | ${f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`} | ${f.goal ?? ''} | ${f.peakRssMb ? `${f.peakRssMb} MB` : ''} |`,
  );
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.figure}: ${f.note}`);
  const goals = goalsTable(figures);
  const table =
    [header, '|---|---|---|---|---|---|---|', ...rows].join('\n') +
    (notes.length ? `\n\nNotes:\n${notes.join('\n')}` : '') +
    (goals ? `\n\n## Goals\n\nEach goal of the run, and the bound measured for it: a goal its bound misses is out of reach on this machine.\n\n${goals}` : '');
  process.stdout.write(`\n${table}\n\n${run.quick ? 'quick mode; ' : ''}medians of 3 runs; ${machine}\n`);
  const dir = join(__dirname, '..', '..', '..', 'test', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const name = run.quick ? `${date}-quick` : date;
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ date: new Date().toISOString(), machine, quick: run.quick, figures }, null, 2) + '\n');
  const command = run.quick ? 'npm run bench -- --quick' : 'npm run bench';
  writeFileSync(
    join(dir, 'latest.md'),
    `# Benchmark results (${date}${run.quick ? ', quick mode' : ''})\n\nMachine: ${machine}. Medians of 3 runs, every figure next to its reference taken in the same run.\nCommand: \`${command}\`.\n\n${table}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
