import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type CreateAppOptions, type LedgerApp } from '../../apps/ledger-api/src/app.factory';

export interface TestLedger extends LedgerApp {
  dataDir: string;
  /** Shorthand for supertest-free requests through Fastify's inject. */
  inject: LedgerApp['app'] extends infer A ? (A extends { inject: infer I } ? I : never) : never;
  dispose(): Promise<void>;
}

/** A ledger on a fresh temp data dir, not listening (requests go through inject). */
export async function startTestLedger(options: CreateAppOptions = {}): Promise<TestLedger> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const ledger = await createApp({
    logger: process.env.TEST_LOGS ? undefined : false,
    ...options,
    // Tests send bursts far above a real client's rate: no rate limit unless a test asks for one.
    env: { LEDGER_RATE_LIMIT: '0', ...(options.env ?? {}) },
    config: { dataDir, ...(options.config ?? {}) },
  });
  const fastify = ledger.app.getHttpAdapter().getInstance();
  return {
    ...ledger,
    dataDir,
    inject: fastify.inject.bind(fastify) as never,
    dispose: async () => {
      await ledger.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
