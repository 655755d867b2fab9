import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliOnce } from '../cli/support/build-cli';
import { runLedger } from '../cli/support/run-ledger';
import { kill9, startServer } from '../support/server-process';

/** `ledger serve` as a user starts it: what it says about keys, and where it refuses to run. */
describe('starting without keys', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-startup-'));
  beforeAll(() => buildCliOnce(), 180_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs open on loopback, and says so loudly', async () => {
    const server = await startServer({ LEDGER_DATA_DIR: dataDir, HOST: '127.0.0.1', LEDGER_SKIP_BUILD: '1', LEDGER_API_KEYS: '', LEDGER_API_KEYS_FILE: '' });
    try {
      expect(server.output()).toMatch(/WARNING: no API keys configured — the ledger is OPEN/);
    } finally {
      await kill9(server);
    }
  }, 60_000);

  it('refuses any other address, with a message that says what to do', async () => {
    const run = await runLedger(['serve'], { LEDGER_DATA_DIR: dataDir, HOST: '0.0.0.0', PORT: '0', LEDGER_API_KEYS: '', LEDGER_API_KEYS_FILE: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 with no API keys: set LEDGER_API_KEYS/);
  }, 60_000);

  it('refuses a malformed key entry instead of running open', async () => {
    const run = await runLedger(['serve'], { LEDGER_DATA_DIR: dataDir, PORT: '0', LEDGER_API_KEYS: 'alice:superuser:0123456789abcdef0123' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/unknown roles superuser/);
  }, 60_000);
});
