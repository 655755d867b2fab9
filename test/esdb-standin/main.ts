/**
 * The stand-in as a process of its own (TEST DOUBLE, see README.md):
 *   node -r ./test/bench/swc-register.js test/esdb-standin/main.ts [port]
 * prints `esdb://127.0.0.1:PORT?tls=false` and serves until killed. Forked with an IPC
 * channel it also answers {cmd:'calls'} with the calls served per method.
 */
import { EsdbStandIn } from './standin-server';

async function main(): Promise<void> {
  const standIn = await new EsdbStandIn({ batchAppend: true }).start(Number(process.argv[2] ?? 0));
  process.stdout.write(`${standIn.connectionString}\n`);
  process.send?.({ ready: standIn.connectionString });
  process.on('message', (message: { cmd?: string }) => {
    if (message.cmd === 'calls') process.send?.({ calls: { ...standIn.roundTrips } });
  });
  const stop = () => void standIn.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
