import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, RevisionConflictError } from '@ledger/event-store';
import { Importer } from './importer';
import { Recorder } from './recorder';

const SOURCE = { publication: 'Test', url: 'https://example.org/story' };
const clock = { now: () => new Date('2018-02-01T00:00:00Z') };
const letter = (letterId: string) => ({ type: 'LetterSent', streamId: 'jurisdiction-chicago-il', occurredAt: '2018-01-24', source: SOURCE, data: { letterId, from: 'organization:us-doj', subject: 'Records request', demands: ['All documents'], threats: ['subpoena'] } });

/**
 * Two recorders on one log file stand for two api processes: each caches the states of the
 * streams it wrote, and must never decide on a state the other has moved past.
 */
describe('Recorder with a cached stream state and a second writer', () => {
  let dir: string;
  let stores: SqliteEventStore[];
  let mine: Recorder;
  let theirs: Recorder;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recorder-'));
    stores = [new SqliteEventStore({ file: join(dir, 'ledger.sqlite') }), new SqliteEventStore({ file: join(dir, 'ledger.sqlite') })];
    mine = new Recorder(stores[0], clock);
    theirs = new Recorder(stores[1], clock);
    await mine.record({ type: 'JurisdictionRegistered', streamId: 'jurisdiction-chicago-il', data: { name: 'Chicago', kind: 'city', state: 'IL' } }, { recordedBy: 'me' });
    await mine.record(letter('first'), { recordedBy: 'me' }); // my cache: revision 1
  });

  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given the other writer moved the stream on, when I write with no expected revision, then my write lands after theirs', async () => {
    await theirs.record(letter('second'), { recordedBy: 'them' }); // revision 2
    const result = await mine.record(letter('third'), { recordedBy: 'me' });
    expect(result.revision).toBe(3);
    expect((await stores[0].readStream('jurisdiction-chicago-il')).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
  });

  it('given the other writer moved the stream on, when I expect the true revision, then my write is accepted', async () => {
    await theirs.record(letter('second'), { recordedBy: 'them' });
    const result = await mine.record(letter('third'), { recordedBy: 'me', expectedRevision: 2 });
    expect(result.revision).toBe(3);
  });

  it('given the other writer moved the stream on, when I expect the revision my cache holds, then the conflict names the actual revision', async () => {
    await theirs.record(letter('second'), { recordedBy: 'them' });
    const failure = await mine.record(letter('third'), { recordedBy: 'me', expectedRevision: 1 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RevisionConflictError);
    expect(failure).toMatchObject({ expected: 1, actual: 2 });
    expect(await stores[0].readStream('jurisdiction-chicago-il')).toHaveLength(3);
  });

  it('given the other writer recorded a letter, when I set a deadline on it, then the rule sees their letter', async () => {
    await theirs.record(letter('second'), { recordedBy: 'them' });
    const result = await mine.record(
      { type: 'DeadlineSet', streamId: 'jurisdiction-chicago-il', occurredAt: '2018-01-24', source: SOURCE, data: { deadlineId: 'd-2', letterId: 'second', dueAt: '2018-02-23', requirement: 'Answer by then' } },
      { recordedBy: 'me' },
    );
    expect(result.revision).toBe(3);
  });

  it('given the other writer recorded the same letter id, when I record it, then the rule refuses it and nothing is stored', async () => {
    await theirs.record(letter('second'), { recordedBy: 'them' });
    await expect(mine.record(letter('second'), { recordedBy: 'me' })).rejects.toMatchObject({ code: 'LETTER.ALREADY_SENT' });
    expect(await stores[0].readStream('jurisdiction-chicago-il')).toHaveLength(3);
  });

  it('given the other writer moved the stream on, when I import lines to it, then they are decided on its stored state and land after theirs', async () => {
    await theirs.record(letter('second'), { recordedBy: 'them' }); // revision 2, unknown to my cache
    const importer = new Importer(stores[0], mine, clock);
    const line = (letterId: string) => JSON.stringify({ type: 'LetterSent', streamId: 'jurisdiction-chicago-il', occurredAt: '2018-01-24', data: letter(letterId).data, metadata: { source: SOURCE } });
    await expect(importer.importLines([line('second')], { recordedBy: 'me' })).rejects.toMatchObject({ code: 'IMPORT.INVALID' });
    const report = await importer.importLines([line('third'), line('fourth')], { recordedBy: 'me' });
    expect(report.appended).toBe(2);
    expect((await stores[0].readStream('jurisdiction-chicago-il')).map((e) => e.data.letterId)).toEqual([undefined, 'first', 'second', 'third', 'fourth']);
    // and my next write starts from what the import stored
    expect((await mine.record(letter('fifth'), { recordedBy: 'me' })).revision).toBe(5);
  });

  it('given a client-chosen event id, when it is sent twice, then the second answer is the first result and stores nothing', async () => {
    const input = { ...letter('again'), eventId: '0b6f1c3e-1d52-4a8e-9a5e-3c1f0d2b7a10' };
    const first = await mine.record(input, { recordedBy: 'me' });
    const second = await theirs.record(input, { recordedBy: 'them' });
    expect(second).toMatchObject({ idempotent: true, position: first.position, revision: first.revision });
    expect(await stores[0].readStream('jurisdiction-chicago-il')).toHaveLength(3);
  });
});
