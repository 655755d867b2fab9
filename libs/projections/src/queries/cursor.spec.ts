import { decodeCursor, encodeCursor } from './cursor';
import { parseJurisdictionList } from './list-params';

describe('keyset cursors', () => {
  const byName = parseJurisdictionList({ sort: 'name' }).sort;
  const byLetters = parseJurisdictionList({ sort: '-lettersReceived' }).sort;

  test('round-trip the last sort value and id', () => {
    expect(decodeCursor(encodeCursor(byName, 'city of chicago', 'chicago-il'), byName)).toEqual({ value: 'city of chicago', id: 'chicago-il' });
    expect(decodeCursor(encodeCursor(byLetters, 3, 'cook-county-il'), byLetters)).toEqual({ value: 3, id: 'cook-county-il' });
  });

  test('refuse a cursor of another sort, of the wrong value type, or not a cursor at all', () => {
    expect(decodeCursor(encodeCursor(byName, 'x', 'a'), byLetters)).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify({ s: '-lettersReceived', v: 'three', i: 'a' })).toString('base64url'), byLetters)).toBeNull();
    expect(decodeCursor('%%%', byName)).toBeNull();
    expect(decodeCursor('bm90IGpzb24', byName)).toBeNull();
  });
});
