import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { readDatasetLines, SANCTUARY_2018_PATH } from '@ledger/datasets';
import type { EventEnvelope } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { buildCliOnce } from './support/build-cli';
import { linesOf, runLedger } from './support/run-ledger';

/** `ledger import <file>` as a child process against temp data dirs. */
const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/x' };
const registration = (slug: string, name = 'City of Gary', eventId = randomUUID()) => ({
  type: 'JurisdictionRegistered',
  streamId: `jurisdiction-${slug}`,
  eventId,
  occurredAt: '2018-01-01',
  data: { name, kind: 'city', state: 'IN' },
  metadata: { source: SOURCE },
});
const letter = (slug: string) => ({
  type: 'LetterSent',
  streamId: `jurisdiction-${slug}`,
  eventId: randomUUID(),
  occurredAt: '2018-01-24',
  data: { letterId: 'doj-2018-01-24', from: 'organization:us-doj', subject: 'Records', demands: ['All documents'], threats: ['subpoena'] },
  metadata: { source: SOURCE },
});
const ndjson = (...lines: (object | string)[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

/** Reads what a CLI run left in the data dir (the CLI has exited and closed the file). */
async function eventsIn(dataDir: string): Promise<EventEnvelope[]> {
  const store = new SqliteEventStore({ file: join(dataDir, 'ledger.sqlite') });
  try {
    return await store.readAll({ limit: 100_000 });
  } finally {
    await store.close();
  }
}

// Each test spawns several CLI processes; on a loaded machine one takes seconds.
jest.setTimeout(120_000);

describe('ledger import', () => {
  let dir: string;
  let dataDir: string;
  const env = () => ({ LEDGER_DATA_DIR: dataDir });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => buildCliOnce(), 240_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    dataDir = join(dir, 'data');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the dataset; a second import adds nothing', async () => {
    const count = readDatasetLines().length;
    const first = await runLedger(['import', SANCTUARY_2018_PATH], env());
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`${count} lines: ${count} stored, 0 already in the ledger, 0 refused; the ledger's head is at position ${count}\n`);
    const stored = await eventsIn(dataDir);
    expect(stored.map((e) => e.eventId)).toEqual(readDatasetLines().map((l) => l.eventId));

    const again = await runLedger(['import', SANCTUARY_2018_PATH], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${count} lines: 0 stored, ${count} already in the ledger, 0 refused\n`);
    expect((await eventsIn(dataDir)).length).toBe(count);
  });

  it('takes --data-dir over LEDGER_DATA_DIR, and records as LEDGER_RECORDED_BY or cli:<os user>', async () => {
    const other = join(dir, 'other');
    const byFlag = await runLedger(['--data-dir', other, 'import', file('a.ndjson', ndjson(registration('gary-in')))], env());
    expect(byFlag.code).toBe(0);
    const [first] = await eventsIn(other);
    expect(first.metadata.recordedBy).toBe(`cli:${userInfo().username}`);

    const named = await runLedger(['import', file('b.ndjson', ndjson(registration('hammond-in', 'City of Hammond')))], {
      ...env(),
      LEDGER_RECORDED_BY: 'loader-7',
    });
    expect(named.code).toBe(0);
    const [second] = await eventsIn(dataDir);
    expect(second.metadata.recordedBy).toBe('loader-7');
  });

  describe('a file with bad lines', () => {
    // 1 good; 2 malformed JSON; 3 blank; 4 unknown type; 5 invalid fields; 6 a rule broken; 7 good.
    const bad = () =>
      ndjson(
        registration('gary-in'),
        '{"type": "LetterSent", ',
        '',
        { ...registration('hammond-in'), type: 'JurisdictionAnnexed' },
        { ...registration('hammond-in'), data: { name: '', kind: 'city', state: 'IN' } },
        letter('nowhere-xx'),
        letter('gary-in'),
      );

    it('reports each bad line with its number and reasons, stores nothing, and exits 2', async () => {
      expect((await runLedger(['import', file('seed.ndjson', ndjson(registration('boston-ma', 'City of Boston')))], env())).code).toBe(0);
      const before = await eventsIn(dataDir);

      const run = await runLedger(['import', file('bad.ndjson', bad())], env());
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = linesOf(run.stderr);
      expect(lines).toEqual([
        expect.stringMatching(/^line 2: not valid JSON: /),
        "line 4: type: type must be one of the catalogue's event types",
        'line 5: data.name: name should not be empty',
        expect.stringMatching(/^line 6: JURISDICTION\.NOT_REGISTERED: /),
        '4 of 6 lines are invalid; nothing was stored. Fix the lines above, or use --partial to store the good ones.',
      ]);
      expect(await eventsIn(dataDir)).toEqual(before);
    });

    it('with --partial stores the good lines, still reports the bad ones, and exits 2', async () => {
      const run = await runLedger(['import', '--partial', file('bad.ndjson', bad())], env());
      expect(run.code).toBe(2);
      expect(linesOf(run.stderr).map((l) => l.split(':')[0])).toEqual(['line 2', 'line 4', 'line 5', 'line 6']);
      expect(run.stdout).toMatch(/^6 lines: 2 stored, 0 already in the ledger, 4 refused; the ledger's head is at position \d+\n$/);
      expect((await eventsIn(dataDir)).map((e) => `${e.type} ${e.streamId}`)).toEqual([
        'JurisdictionRegistered jurisdiction-gary-in',
        'LetterSent jurisdiction-gary-in',
      ]);
    });

    it('with --json prints the problem with line numbers on stdout', async () => {
      const run = await runLedger(['import', '--json', file('bad.ndjson', bad())], env());
      expect(run.code).toBe(2);
      const problem = JSON.parse(run.stdout);
      expect(problem.code).toBe('IMPORT.INVALID');
      expect([...new Set(problem.errors.map((e: { line: number }) => e.line))]).toEqual([2, 4, 5, 6]);
    });
  });

  it('reads stdin for "-", and --json reports a success', async () => {
    const run = await runLedger(['import', '--json', '-'], env(), ndjson(registration('gary-in'), letter('gary-in')));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ lines: 2, appended: 2, skipped: 0, rejected: 0, errors: [] });
  });

  it('draws a progress bar when asked, even off a terminal', async () => {
    const run = await runLedger(['import', '--progress', SANCTUARY_2018_PATH], env());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/checking .* 100% \| (\d+)\/\1 bytes/);
  });

  describe('unusable input gives one clear line and exit 2', () => {
    it('a missing file', async () => {
      const run = await runLedger(['import', join(dir, 'nope.ndjson')], env());
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(linesOf(run.stderr)).toEqual([`ledger: cannot read the import file ${join(dir, 'nope.ndjson')}: no such file or directory`]);
    });

    it('a directory instead of a file', async () => {
      const run = await runLedger(['import', dir], env());
      expect(run.code).toBe(2);
      expect(linesOf(run.stderr)).toEqual([`ledger: cannot read the import file ${dir}: it is a directory`]);
    });

    it('a data dir that is a file', async () => {
      writeFileSync(dataDir, 'not a directory');
      const run = await runLedger(['import', SANCTUARY_2018_PATH], env());
      expect(run.code).toBe(2);
      expect(linesOf(run.stderr)).toEqual([`ledger: cannot use the data directory ${dataDir}: a file is in the way (not a directory)`]);
      expect(readFileSync(dataDir, 'utf8')).toBe('not a directory');
    });

    it('a data dir that cannot be created', async () => {
      writeFileSync(join(dir, 'blocker'), '');
      const target = join(dir, 'blocker', 'data');
      const run = await runLedger(['import', SANCTUARY_2018_PATH], { LEDGER_DATA_DIR: target });
      expect(run.code).toBe(2);
      expect(linesOf(run.stderr)).toEqual([`ledger: cannot use the data directory ${target}: a file is in the way (not a directory)`]);
    });

    it('a data dir whose ledger file is not a ledger', async () => {
      mkdirSync(dataDir);
      writeFileSync(join(dataDir, 'ledger.sqlite'), 'garbage, not SQLite '.repeat(100));
      const run = await runLedger(['import', SANCTUARY_2018_PATH], env());
      expect(run.code).toBe(2);
      expect(linesOf(run.stderr)).toEqual([`ledger: cannot open the ledger in ${dataDir}: file is not a database`]);
    });

    it('a bad store setting', async () => {
      const run = await runLedger(['import', SANCTUARY_2018_PATH], { ...env(), LEDGER_STORE: 'mongo' });
      expect(run.code).toBe(2);
      expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^ledger: LEDGER_STORE must be one of sqlite, esdb/)]);
    });
  });
});
