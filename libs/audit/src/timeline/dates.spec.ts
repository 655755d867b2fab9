import { decodeCursor, encodeCursor } from './cursor';
import { isDateOrInstant } from './dates';

describe('query dates', () => {
  it.each(['2018-01-24', '2018-01-24T15:00Z', '2018-01-24T15:00:30Z', '2018-01-24T15:00:30.123Z', '2018-01-24T15:00:30+01:00', '2016-02-29'])('accepts %s', (v) => {
    expect(isDateOrInstant(v)).toBe(true);
  });

  it.each(['2018-02-30', '2017-02-29', '2018-13-01', '2018-01-24T15:00', '2018-01-24T25:00Z', '2018-1-24', 'yesterday', '', '2018-01-24 15:00Z'])('refuses %s', (v) => {
    expect(isDateOrInstant(v)).toBe(false);
  });
});

describe('cursors', () => {
  it('round-trip a position and refuse anything else', () => {
    for (const p of [-1, 0, 42, 2 ** 40]) expect(decodeCursor(encodeCursor(p))).toBe(p);
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(Buffer.from('p:1.5').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('p:-7').toString('base64url'))).toBeNull();
    expect(decodeCursor('a'.repeat(100))).toBeNull();
  });
});
