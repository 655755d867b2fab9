import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANCTUARY_2018_PATH } from '@ledger/datasets';
import { buildCliOnce } from './support/build-cli';
import { linesOf, runLedger } from './support/run-ledger';

// Each test spawns several CLI processes; on a loaded machine one takes seconds.
jest.setTimeout(120_000);

/** `ledger stats` folds the data dir's log with the projections' own stats code. */
describe('ledger stats', () => {
  let dir: string;
  const env = () => ({ LEDGER_DATA_DIR: join(dir, 'data') });

  beforeAll(() => buildCliOnce(), 240_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-stats-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the dataset by type, state, kind and party, now and as of a past date', async () => {
    expect((await runLedger(['import', SANCTUARY_2018_PATH], env())).code).toBe(0);

    const now = await runLedger(['stats', '--json'], env());
    expect(now.code).toBe(0);
    const stats = JSON.parse(now.stdout);
    expect(stats.events).toMatchObject({ total: 174, live: 174 });
    expect(stats.events.byType).toMatchObject({ LetterSent: 23, DeadlineSet: 23, SubpoenaThreatened: 23, FundingThreatened: 23, BoycottDeclared: 5 });
    expect(stats.jurisdictions.total).toBe(23);
    expect(stats.jurisdictions.byKind.state).toBe(3);
    expect(stats.jurisdictions.byState).toMatchObject({ CA: 9, IL: 3, NY: 2 });
    expect(stats.officials).toEqual({ total: 9, byParty: { democratic: 4, republican: 3, unknown: 2 } });
    expect(stats).toMatchObject({ organizations: { total: 5 }, meetings: { total: 1 }, statements: { total: 7 }, boycotts: { total: 5 } });

    // The day before the letters: everyone registered, no letter, no boycott yet.
    const before = JSON.parse((await runLedger(['stats', '--json', '--as-of', '2018-01-23'], env())).stdout);
    expect(before.jurisdictions.byStatus).toEqual({ 'no-letter': 23 });
    expect(before.events.byType.LetterSent).toBeUndefined();
    expect(before.boycotts.total).toBe(0);

    const text = await runLedger(['stats'], env());
    expect(text.code).toBe(0);
    expect(linesOf(text.stdout)).toEqual(expect.arrayContaining([expect.stringMatching(/^jurisdictions +23$/), expect.stringMatching(/^ +by party +democratic 4, republican 3, unknown 2$/)]));
  });

  it('refuses, with exit 2, a data dir with no ledger and a date that is not one', async () => {
    const none = await runLedger(['stats'], env());
    expect(none.code).toBe(2);
    expect(linesOf(none.stderr)).toEqual([`ledger: no ledger in ${join(dir, 'data')} (set --data-dir or LEDGER_DATA_DIR)`]);

    const bad = await runLedger(['stats', '--as-of', 'last tuesday'], env());
    expect(bad.code).toBe(2);
    expect(linesOf(bad.stderr)).toEqual(['ledger: --as-of must be a date (YYYY-MM-DD) or an ISO timestamp (got "last tuesday")']);
  });
});
