import { sql } from 'kysely';
import { createTestReadModel, type TestReadModel } from '../../../test/projections/support/read-models';
import { holdTransaction, within } from '../../../test/support/held-transaction';
import { openSqliteReadModel, type ReadModelDb } from './read-model-db';

describe('the SQLite read model', () => {
  let file: TestReadModel;
  let readModel: ReadModelDb;

  beforeEach(async () => {
    file = await createTestReadModel('sqlite');
    readModel = await file.open();
    await sql`create table t (id integer primary key, name text)`.execute(readModel.db);
    await sql`insert into t values (1, 'committed')`.execute(readModel.db);
  });

  afterEach(async () => {
    await readModel.close();
    await file.drop();
  });

  it('answers reads while a write transaction is held open, with the last committed rows', async () => {
    const held = await holdTransaction(readModel, `update t set name = 'uncommitted' where id = 1`);
    try {
      const read = readModel.reads.selectFrom('t').select('name').where('id', '=', 1).executeTakeFirst();
      expect(await within(2000, read)).toEqual({ name: 'committed' });
    } finally {
      await held.release();
    }
    expect(await readModel.reads.selectFrom('t').select('name').where('id', '=', 1).executeTakeFirst()).toEqual({ name: 'uncommitted' });
  });

  it('sees tables created after it opened', async () => {
    await sql`create table later (id integer primary key)`.execute(readModel.db);
    await sql`insert into later values (7)`.execute(readModel.db);
    expect(await readModel.reads.selectFrom('later').select('id').execute()).toEqual([{ id: 7 }]);
  });

  it('refuses writes through the read handle, and leaves the rows as they were', async () => {
    // By its code: better-sqlite3 builds its errors in the realm of the test file that loaded
    // it first, so under a full Jest run they are not instances of this file's Error.
    await expect(sql`insert into t values (2, 'sneaked')`.execute(readModel.reads)).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    expect(await readModel.db.selectFrom('t').select('id').execute()).toEqual([{ id: 1 }]);
  });

  it('in memory, reads share the one connection (a second handle would be another database)', async () => {
    const memory = openSqliteReadModel(':memory:');
    try {
      expect(memory.reads).toBe(memory.db);
    } finally {
      await memory.close();
    }
  });
});
