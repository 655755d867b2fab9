import type { ReadModelDb } from '@ledger/platform';
import { createTestReadModel, type TestReadModel } from '../../../../test/projections/support/read-models';
import { big, text, type TableSpec } from '../core/table-spec';
import { createIndexes, createTable } from './schema';

const SPEC: TableSpec = {
  name: 'things',
  keyColumn: 'id',
  primaryKey: ['id'],
  columns: [text('id'), text('kind'), big('rank')],
  indexes: [
    { name: 'kind', columns: ['kind', 'id'] },
    { name: 'rank', columns: ['rank', 'id'] },
    { name: 'kind_rank', columns: ['kind', 'rank', 'id'] },
  ],
};

describe('createIndexes', () => {
  let file: TestReadModel;
  let readModel: ReadModelDb;
  beforeEach(async () => {
    file = await createTestReadModel('sqlite');
    readModel = await file.open();
    await createTable(readModel.db, 'sqlite', SPEC, 'live', false);
  });
  afterEach(async () => {
    await readModel.close();
    await file.drop();
  });

  it('lets the event loop run between two indexes (each is one synchronous scan on SQLite)', async () => {
    // Each turn of the event loop notes how many of the indexes exist (the read handle answers at once).
    const count = () =>
      readModel.readNow!<{ n: number }>(`select count(*) as n from sqlite_master where type = 'index' and tbl_name = 'proj_things' and sql is not null`, [])[0].n;
    const seen: number[] = [];
    let ticking = true;
    const tick = () => {
      seen.push(count());
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    await createIndexes(readModel.db, SPEC, 'live');
    ticking = false;
    expect(count()).toBe(3);
    // Turns ran after the first index and after the second, not only before or after all three.
    expect(seen).toEqual(expect.arrayContaining([1, 2]));
  });
});
