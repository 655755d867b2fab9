import { openSqliteReadModel, type ReadModelDb } from '@ledger/platform';
import { createTestReadModel, type TestReadModel } from '../../../../test/projections/support/read-models';
import { compiledOnce } from './compiled-once';

// A file has the read-only handle that runs compiled reads directly (readNow); memory goes through Kysely.
describe.each(['file', 'memory'] as const)('compiledOnce on a %s read model', (where) => {
  let readModel: ReadModelDb;
  let file: TestReadModel | undefined;
  beforeAll(async () => {
    file = where === 'file' ? await createTestReadModel('sqlite') : undefined;
    readModel = file ? await file.open() : openSqliteReadModel(':memory:');
    expect(readModel.readNow !== undefined).toBe(where === 'file');
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
  afterAll(async () => {
    await readModel.close();
    await file?.drop();
  });

  test('each call runs with its own arguments, constants of the query kept', async () => {
    const byKind = compiledOnce<{ id: string }>(readModel, 1, (kind) =>
      readModel.reads.selectFrom('t').select('id').where('kind', '=', kind).where('n', '>', 1).orderBy('id'),
    );
    expect(await byKind('x')).toEqual([{ id: 'b' }]);
    expect(await byKind('y')).toEqual([{ id: 'c' }]);
    expect(await byKind('z')).toEqual([]);
  });

  test('arguments go where their placeholders stand, whatever the order in the SQL', async () => {
    const q = compiledOnce<{ id: string }>(readModel, 2, (first, second) =>
      readModel.reads.selectFrom('t').select('id').where('id', '=', second).where('kind', '=', first),
    );
    expect(await q('x', 'a')).toEqual([{ id: 'a' }]);
    expect(await q('a', 'x')).toEqual([]);
  });

  test('a placeholder the query does not use is refused', async () => {
    const q = compiledOnce<{ id: string }>(readModel, 2, (kind) => readModel.reads.selectFrom('t').select('id').where('kind', '=', kind));
    await expect(q('x', 'unused')).rejects.toThrow(/2 arguments, 1 placed/);
  });

  test('rows committed after the first call are seen by the next', async () => {
    const ids = compiledOnce<{ id: string }>(readModel, 1, (kind) => readModel.reads.selectFrom('t').select('id').where('kind', '=', kind).orderBy('id'));
    expect(await ids('z')).toEqual([]);
    await readModel.db.insertInto('t').values({ id: 'd', kind: 'z', n: 4 }).execute();
    expect(await ids('z')).toEqual([{ id: 'd' }]);
  });
});
