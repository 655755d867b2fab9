import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectionsBench } from '../suites/projections.bench';

async function main() {
  const quick = process.argv.includes('--quick');
  const workDir = mkdtempSync(join(tmpdir(), 'ledger-pbench-'));
  const started = Date.now();
  try {
    const figures = await projectionsBench({ quick, runs: 3, workDir });
    for (const f of figures) console.log(JSON.stringify(f));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log('seconds', (Date.now() - started) / 1000);
}
main().catch((e) => { console.error(e); process.exit(1); });
