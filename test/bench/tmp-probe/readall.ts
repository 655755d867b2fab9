import { join } from 'node:path';
import { SqliteEventStore, iterateAll } from '@ledger/event-store';
async function main() {
  const store = new SqliteEventStore({ file: join(process.argv[2], 'ledger.sqlite') });
  const t = process.hrtime.bigint(); const c = process.cpuUsage(); let n = 0;
  for await (const _ of iterateAll(store, { pageSize: 5000 })) n++;
  const sec = Number(process.hrtime.bigint() - t) / 1e9;
  console.log('readAll', n, (n / sec).toFixed(0), 'ev/s cpu', ((process.cpuUsage(c).user + process.cpuUsage(c).system) / 1e6).toFixed(1), 's rss', Math.round(process.memoryUsage.rss() / 1e6));
}
main();
