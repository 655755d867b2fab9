import type { EventEnvelope } from '@ledger/domain';
import { Subject } from 'rxjs';
import { catchUpThenFollow, type CatchUpPage } from './subscription';

const at = (position: number) => ({ position }) as EventEnvelope;

describe('catchUpThenFollow', () => {
  test('a short page moves the next read past everything it looked at; a full one only past what it delivered', async () => {
    const asked: number[] = [];
    const pages: CatchUpPage[] = [
      { events: [at(3), at(4)], through: 4 }, // full (page size 2): more may follow
      { events: [at(9)], through: 50 }, // short: positions 10..50 were looked at and skipped
      { events: [], through: 50 },
      { events: [at(70)], through: 80 },
    ];
    const wakeUps = new Subject<void>();
    const seen: number[] = [];
    const sub = catchUpThenFollow({
      after: 0,
      pageSize: 2,
      pollIntervalMs: 60_000,
      wakeUps,
      readPage: (after) => {
        asked.push(after);
        return pages.shift() ?? { events: [], through: after };
      },
    }).subscribe((e) => seen.push(e.position));
    await new Promise((r) => setImmediate(r));
    wakeUps.next();
    await new Promise((r) => setImmediate(r));
    wakeUps.next();
    await new Promise((r) => setImmediate(r));
    sub.unsubscribe();
    expect(seen).toEqual([3, 4, 9, 70]);
    expect(asked).toEqual([0, 4, 50, 50]);
  });
});
