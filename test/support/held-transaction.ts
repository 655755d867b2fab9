import type { ReadModelDb } from '@ledger/platform';
import { sql } from 'kysely';

/** A write transaction on the read model held open across turns of the event loop, as a projector batch or a rebuild flush holds one. */
export async function holdTransaction(readModel: ReadModelDb, work: string): Promise<{ release: () => Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const done = readModel.db.transaction().execute(async (trx) => {
    await sql.raw(work).execute(trx);
    entered();
    await released;
  });
  await inside;
  return { release: () => (release(), done) };
}

/** The work's result, or 'waited' when it took longer than `ms`. */
export const within = <T>(ms: number, work: Promise<T>): Promise<T | 'waited'> =>
  Promise.race([work, new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), ms).unref())]);
