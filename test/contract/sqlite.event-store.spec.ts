import { SqliteEventStore } from '@ledger/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEventStore } from './event-store.contract';

testEventStore('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-contract-'));
  const file = join(dir, 'ledger.sqlite');
  let store = new SqliteEventStore({ file, pollIntervalMs: 50 });
  return {
    get store() {
      return store;
    },
    async reopen() {
      await store.close();
      store = new SqliteEventStore({ file, pollIntervalMs: 50 });
      return store;
    },
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
