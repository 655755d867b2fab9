import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { NewEvent } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';

const event = (type: string, i: number): NewEvent => ({
  eventId: randomUUID(),
  type,
  occurredAt: '2018-01-24',
  occurredAtPrecision: 'day',
  data: { i, nested: { list: [i, 'x'] } },
  metadata: { recordedBy: 'test', schemaVersion: 1 },
});

/**
 * The SQLite store answers reads right after its own commits from a tail of the rows it
 * wrote. Whatever it answers must equal what the query answers, including when another
 * process (a second store on the same file) appends in between.
 */
describe('SQLite readAll from the tail of recent commits', () => {
  let dir: string;
  let mine: SqliteEventStore;
  let other: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recent-rows-'));
    mine = new SqliteEventStore({ file: join(dir, 'ledger.sqlite') });
    other = new SqliteEventStore({ file: join(dir, 'ledger.sqlite') });
  });

  afterEach(async () => {
    await mine.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given appends by this process and another, when reading any range with any filter, then the answer equals a fresh query', async () => {
    const streams = ['jurisdiction-a', 'jurisdiction-b', 'webhook-c', 'official-d'];
    const types = ['LetterSent', 'DeadlineSet', 'WebhookCreated'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ byOther: fc.boolean(), stream: fc.constantFrom(...streams), type: fc.constantFrom(...types), count: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: -1, max: 40 }),
        fc.option(fc.subarray(types, { minLength: 1 }), { nil: undefined }),
        fc.option(fc.subarray(['jurisdiction-', 'webhook-'], { minLength: 1 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        async (appends, after, typeFilter, prefixes, limit) => {
          const head = await mine.headPosition();
          for (const [i, a] of appends.entries()) {
            const store = a.byOther ? other : mine;
            await store.append(a.stream, Array.from({ length: a.count }, (_, j) => event(a.type, i * 10 + j)), { expectedRevision: 'any' });
          }
          const options = { after: head + after, types: typeFilter, streamPrefixes: prefixes, limit };
          const fresh = new SqliteEventStore({ file: join(dir, 'ledger.sqlite') });
          try {
            const expected = await fresh.readAll(options);
            expect(await mine.readAll(options)).toEqual(expected);
            expect(await other.readAll(options)).toEqual(expected);
          } finally {
            await fresh.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('given another process appended after my last commit, when I read after it, then its events are there', async () => {
    await mine.append('jurisdiction-a', [event('LetterSent', 1)]);
    const mineLast = await mine.headPosition();
    await other.append('jurisdiction-a', [event('LetterSent', 2)], { expectedRevision: 0 });
    const page = await mine.readAll({ after: mineLast - 1 });
    expect(page.map((e) => e.data.i)).toEqual([1, 2]);
  });

  it('given two readers of the same fresh event, when one changes its copy, then the other copy is untouched', async () => {
    await mine.append('jurisdiction-a', [event('LetterSent', 7)]);
    const [first] = await mine.readAll({ after: -1 });
    (first.data.nested as { list: unknown[] }).list.push('changed');
    const [second] = await mine.readAll({ after: -1 });
    expect(second.data).toEqual({ i: 7, nested: { list: [7, 'x'] } });
  });
});
