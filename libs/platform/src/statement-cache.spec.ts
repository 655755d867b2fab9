import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './statement-cache';

/** Kysely over better-sqlite3 with statements reused by SQL text. */
describe('the read model statement cache', () => {
  let raw: Database.Database;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let db: Kysely<any>;

  beforeEach(async () => {
    raw = new Database(':memory:');
    db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(raw, 3) }) });
    await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)`.execute(db);
    await db.insertInto('t').values([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }]).execute();
  });

  afterEach(() => db.destroy());

  it('given the same query with other parameters, each answer is its own', async () => {
    const byId = (id: number) => db.selectFrom('t').selectAll().where('id', '=', id).executeTakeFirst();
    expect(await byId(1)).toEqual({ id: 1, name: 'a' });
    expect(await byId(3)).toEqual({ id: 3, name: 'c' });
  });

  it('given a streamed read still open, the same query can be streamed and run again', () => {
    const cache = withStatementCache(raw, 3);
    const text = 'SELECT id FROM t ORDER BY id';
    const first = cache.prepare(text).iterate([]);
    const second = cache.prepare(text).iterate([]);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      seen.push((first.next().value as { id: number }).id);
      seen.push((second.next().value as { id: number }).id);
    }
    expect(seen).toEqual([1, 1, 2, 2, 3, 3]);
    expect(cache.prepare(text).all([])).toHaveLength(3);
    first.return?.();
    second.return?.();
  });

  it('given a table replaced under a cached query (a projection swap), the query reads the new table', async () => {
    const all = () => db.selectFrom('t').select('name').orderBy('name').execute();
    expect(await all()).toHaveLength(3);
    await sql`CREATE TABLE t_next (id INTEGER PRIMARY KEY, name TEXT)`.execute(db);
    await db.insertInto('t_next').values({ id: 9, name: 'z' }).execute();
    await sql`DROP TABLE t`.execute(db);
    await sql`ALTER TABLE t_next RENAME TO t`.execute(db);
    expect(await all()).toEqual([{ name: 'z' }]);
  });

  it('given more distinct queries than it holds, the oldest are dropped and every query still answers', async () => {
    for (let round = 0; round < 2; round++) {
      for (let n = 1; n <= 5; n++) {
        const rows = await db.selectFrom('t').select('id').where('id', 'in', Array.from({ length: n }, (_, i) => i + 1)).execute();
        expect(rows).toHaveLength(Math.min(n, 3));
      }
    }
  });
});
