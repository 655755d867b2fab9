import type { Command } from 'commander';
import { serve } from '../../../ledger-api/src/main';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the ledger HTTP API (and, embedded, its background work) on PORT/HOST')
    .option('-p, --port <port>', 'port to listen on (default 3000 or PORT)')
    .option('-H, --host <host>', 'address to bind (default 127.0.0.1 or HOST)')
    .action(async (options: { port?: string; host?: string }) => {
      if (options.port) process.env.PORT = options.port;
      if (options.host) process.env.HOST = options.host;
      await serve(process.env);
    });
}
