import { createRequire } from 'node:module';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** emmett-sqlite (the nearest TypeScript peer), loaded from test/bench/references. */
export interface EmmettStore {
  appendToStream(stream: string, events: { type: string; data: unknown }[]): Promise<unknown>;
  readStream(stream: string): Promise<{ events: unknown[] }>;
}

export function loadEmmett(file: string): EmmettStore | null {
  try {
    const requireRef = createRequire(join(__dirname, '..', '..', '..', '..', 'test', 'bench', 'references', 'package.json'));
    const { getSQLiteEventStore } = requireRef('@event-driven-io/emmett-sqlite');
    const store = getSQLiteEventStore({ fileName: file, schema: { autoMigration: 'CreateOrUpdate' } });
    return store as any;
  } catch (error) {
    console.error(`bench: emmett-sqlite unavailable (${(error as Error).message}); its references are skipped`);
    return null;
  }
}

/** 0.38.5 sometimes throws SQLITE_BUSY on plain sequential appends (STACK.md): retry those. */
export async function withBusyRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt > 20 || !/SQLITE_BUSY/.test(String((error as Error).message))) throw error;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
