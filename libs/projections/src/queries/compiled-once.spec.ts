import { openSqliteReadModel, type ReadModelDb } from '@ledger/platform';
import { compiledOnce } from './compiled-once';

describe('compiledOnce', () => {
  let readModel: ReadModelDb;
  beforeAll(async () => {
    readModel = openSqliteReadModel(':memory:');
    await readModel.db.schema.createTable('t').addColumn('id', 'text').addColumn('kind', 'text').addColumn('n', 'integer').execute();
    await readModel.db
      .insertInto('t')
      .values([
        { id: 'a', kind: 'x', n: 1 },
        { id: 'b', kind: 'x', n: 2 },
        { id: 'c', kind: 'y', n: 3 },
      ])
      .execute();
  });
  afterAll(() => readModel.close());

  test('each call runs with its own arguments, constants of the query kept', async () => {
    const byKind = compiledOnce<{ id: string }>(() => readModel.db, 1, (kind) =>
      readModel.db.selectFrom('t').select('id').where('kind', '=', kind).where('n', '>', 1).orderBy('id'),
    );
    expect(await byKind('x')).toEqual([{ id: 'b' }]);
    expect(await byKind('y')).toEqual([{ id: 'c' }]);
    expect(await byKind('z')).toEqual([]);
  });

  test('arguments go where their placeholders stand, whatever the order in the SQL', async () => {
    const q = compiledOnce<{ id: string }>(() => readModel.db, 2, (first, second) =>
      readModel.db.selectFrom('t').select('id').where('id', '=', second).where('kind', '=', first),
    );
    expect(await q('x', 'a')).toEqual([{ id: 'a' }]);
    expect(await q('a', 'x')).toEqual([]);
  });

  test('a placeholder the query does not use is refused', async () => {
    const q = compiledOnce<{ id: string }>(() => readModel.db, 2, (kind) => readModel.db.selectFrom('t').select('id').where('kind', '=', kind));
    await expect(q('x', 'unused')).rejects.toThrow(/2 arguments, 1 placed/);
  });
});
