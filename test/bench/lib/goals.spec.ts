import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './figures';
import { goalMet, goalsTable, thresholdOf } from './goals';

const figure = (f: Partial<Figure>): Figure => ({ figure: 'a figure', value: 1, unit: 'events/s', ...f });

describe('bench goals: verdicts read from the goals as the suites write them', () => {
  it('reads each form of goal the suites use', () => {
    expect(thresholdOf('≥ 2×')).toEqual({ minRatio: 2 });
    expect(thresholdOf('≥ 0.5×')).toEqual({ minRatio: 0.5 });
    expect(thresholdOf('p99 ≤ 2× (ratio ≥ 0.5×)')).toEqual({ minRatio: 0.5 });
    expect(thresholdOf('≤ 2× growth (ratio ≥ 0.5×)')).toEqual({ minRatio: 0.5 });
    expect(thresholdOf('peak RSS < 256 MB')).toEqual({ maxRssMb: 256 });
  });

  it('understands every goal written in the suites (a new form would get no verdict)', () => {
    const dir = join(__dirname, '..', 'suites');
    const goals = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/'((?:≥|≤|p99|peak RSS)[^']*)'/g)].map((m) => m[1]));
    expect(goals.length).toBeGreaterThanOrEqual(10);
    for (const goal of goals) expect([goal, thresholdOf(goal)]).toEqual([goal, expect.anything()]);
  });

  it('does not guess at a goal it cannot read', () => {
    expect(thresholdOf('fast enough')).toBeUndefined();
    expect(thresholdOf('≥ 2 req/s')).toBeUndefined();
    expect(goalMet(figure({ goal: 'fast enough', ratio: 100 }))).toBeUndefined();
  });

  it('judges a ratio as it is printed, to two decimals', () => {
    expect(goalMet(figure({ goal: '≥ 0.5×', ratio: 0.5 }))).toBe(true);
    expect(goalMet(figure({ goal: '≥ 0.5×', ratio: 0.4951 }))).toBe(true); // printed 0.50×
    expect(goalMet(figure({ goal: '≥ 0.5×', ratio: 0.4949 }))).toBe(false); // printed 0.49×
    expect(goalMet(figure({ goal: '≥ 5×', ratio: 2.96 }))).toBe(false);
    expect(goalMet(figure({ goal: '≥ 5×', ratio: Number.NaN }))).toBeUndefined();
    expect(goalMet(figure({ goal: '≥ 5×' }))).toBeUndefined();
  });

  it('judges a memory goal by the peak resident set', () => {
    expect(goalMet(figure({ goal: 'peak RSS < 256 MB', peakRssMb: 167 }))).toBe(true);
    expect(goalMet(figure({ goal: 'peak RSS < 256 MB', peakRssMb: 256 }))).toBe(false);
    expect(goalMet(figure({ goal: 'peak RSS < 256 MB' }))).toBeUndefined();
    expect(goalMet(figure({ ratio: 3 }))).toBeUndefined();
  });

  it('puts each goal next to the bound measured for it, against the same reference where there is one', () => {
    const figures = [
      figure({ figure: 'GET', reference: 'small JSON', ratio: 0.32, goal: '≥ 0.8×', goalId: 'get' }),
      figure({ figure: 'GET', reference: 'same size', ratio: 0.36, goal: '≥ 0.8×', goalId: 'get' }),
      figure({ figure: 'bound: raw GET', reference: 'same size', ratio: 0.67, goal: '≥ 0.8×', goalId: 'get', bound: true }),
      figure({ figure: 'appends, 1 client', reference: 'emmett', ratio: 2.96, goal: '≥ 5×', goalId: 'appends-1' }),
      figure({ figure: 'bound: raw appends', reference: 'emmett', ratio: 6.1, goal: '≥ 5×', goalId: 'appends-1', bound: true }),
      figure({ figure: 'import', reference: 'raw batches', ratio: 0.65, goal: '≥ 0.5×', goalId: 'import' }),
      figure({ figure: 'export', goal: 'peak RSS < 256 MB', goalId: 'export-rss', peakRssMb: 167 }),
      figure({ figure: 'readAll', reference: 'raw', ratio: 1.22 }),
    ];
    const lines = goalsTable(figures).split('\n');
    expect(lines).toHaveLength(2 + 5); // header, rule, one line per goal figure (bounds and goalless figures are not goals)
    expect(lines[2]).toBe('| ≥ 0.8× | GET | small JSON | 0.32× | **missed** | 0.67× (against same size): **missed** |');
    expect(lines[3]).toBe('| ≥ 0.8× | GET | same size | 0.36× | **missed** | 0.67×: **missed** |');
    expect(lines[4]).toBe('| ≥ 5× | appends, 1 client | emmett | 2.96× | **missed** | 6.10×: met |');
    expect(lines[5]).toBe('| ≥ 0.5× | import | raw batches | 0.65× | met | — |');
    expect(lines[6]).toBe('| peak RSS < 256 MB | export | — | 167 MB | met | — |');
  });

  it('writes nothing when the run measured no goal', () => {
    expect(goalsTable([figure({ ratio: 1 })])).toBe('');
  });
});
