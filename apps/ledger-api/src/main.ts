import { ConfigError, StartupError } from '@ledger/platform';
import { createApp } from './app.factory';

/**
 * `node dist/apps/ledger-api/src/main.js`: the api on its own (the CLI's `serve` does the same).
 * Answers the address it listens on (the CLI's `demo` prints links under it).
 */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const ledger = await createApp({ env });
  const { app, config } = ledger;
  await app.listen({ port: config.port, host: config.host });
  const address = `http://${config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  if (ledger.openMode) {
    process.stderr.write(
      `\n  WARNING: no API keys configured — the ledger is OPEN to anyone who can reach ${address} (loopback only).\n` +
        `  Set LEDGER_API_KEYS=name:role+role:token to require keys.\n\n`,
    );
  }
  process.stdout.write(`ledger listening on ${address} (docs: ${address}/docs, data: ${config.dataDir})\n`);
  const stop = async () => {
    await ledger.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return address;
}

if (require.main === module) {
  serve().catch((error) => {
    if (error instanceof StartupError || error instanceof ConfigError) {
      process.stderr.write(`ledger: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`ledger: failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
