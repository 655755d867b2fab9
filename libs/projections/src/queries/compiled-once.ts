import type { Compilable, CompiledQuery, Kysely } from 'kysely';

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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: () => Kysely<any>,
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
    return (await db().executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}
