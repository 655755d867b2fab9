import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { generateLedger } from '../lib/projection-data';
async function main() { const s = new SqliteEventStore({ file: join(process.argv[2], 'ledger.sqlite') }); await generateLedger(s, Number(process.argv[3])); await s.close(); }
main();
