import { checkJsonShape, MAX_JSON_DEPTH } from './json-shape';

describe('checkJsonShape', () => {
  it('accepts ordinary bodies', () => {
    expect(checkJsonShape({ id: 'chicago-il', source: { publication: 'x' }, demands: ['a', 'b'], n: null })).toBeNull();
    expect(checkJsonShape([1, 'two', { three: 3 }])).toBeNull();
    expect(checkJsonShape('text')).toBeNull();
  });

  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])('refuses a %s key at any depth, naming where', (key) => {
    const deep = JSON.parse(`{"source":{"list":[{"${key}":{"polluted":true}}]}}`);
    const error = checkJsonShape(deep);
    expect(error?.code).toBe('REQUEST.FORBIDDEN_KEY');
    expect(error?.errors[0].field).toBe(`source.list.0.${key}`);
  });

  it('refuses nesting deeper than the limit, and accepts it at the limit', () => {
    const nest = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth));
    expect(checkJsonShape(nest(MAX_JSON_DEPTH))).toBeNull();
    expect(checkJsonShape(nest(MAX_JSON_DEPTH + 1))?.code).toBe('REQUEST.TOO_DEEP');
  });

  it('walks a hostile depth without recursion', () => {
    let value: unknown = 1;
    for (let i = 0; i < 200_000; i++) value = { a: value };
    expect(checkJsonShape(value)?.code).toBe('REQUEST.TOO_DEEP');
  });
});
