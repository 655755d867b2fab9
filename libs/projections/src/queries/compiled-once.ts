import type { Compilable, CompiledQuery } from 'kysely';
import type { ReadModelDb } from '@ledger/platform';

const SLOT = '\u0000slot:';

/**
 * A query built and compiled on first use; each call only puts its arguments into the
 * compiled parameters. Kysely builds and compiles a query afresh on every execution, and
 * on a single-view GET that cost as much as the two point queries themselves. The table
 * names of the read side are fixed, so the SQL text never changes.
 *
 * `build` gets one placeholder per argument and must use each as a plain value.
 */
export function compiledOnce<Row>(
  readModel: Pick<ReadModelDb, 'reads' | 'readNow'>,
  arity: number,
  build: (...args: string[]) => Compilable<Row>,
): (...args: unknown[]) => Promise<Row[]> {
  let compiled: CompiledQuery<Row> | undefined;
  let slots: number[] = [];
  return async (...args) => {
    if (!compiled) {
      compiled = build(...Array.from({ length: arity }, (_, i) => `${SLOT}${i}`)).compile();
      slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : -1));
      const used = new Set(slots.filter((s) => s >= 0));
      if (used.size !== arity) throw new Error(`compiledOnce: ${arity} arguments, ${used.size} placed in ${compiled.sql}`);
    }
    const parameters = compiled.parameters.map((p, i) => (slots[i] >= 0 ? args[slots[i]] : p));
    // On a SQLite file the read-only handle answers synchronously; elsewhere through Kysely.
    if (readModel.readNow) return readModel.readNow<Row>(compiled.sql, parameters);
    return (await readModel.reads.executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}
