import type { Command } from 'commander';
import { startWorker } from '../../../ledger-worker/src/main';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the background work on its own (projector under a lease, deadline watcher); several may run with PostgreSQL read models')
    .action(async () => {
      const worker = await startWorker(process.env);
      process.stdout.write(`ledger-worker running (pid ${process.pid})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void worker.close().finally(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
