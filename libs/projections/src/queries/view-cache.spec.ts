import { ViewCache } from './view-cache';

describe('view cache', () => {
  const loader = () => {
    const calls: string[] = [];
    const load = (key: string, json: string | null) => async () => {
      calls.push(key);
      return json;
    };
    return { calls, load };
  };

  test('keeps a view from its second request, and serves it again only at the position it was read at', async () => {
    const cache = new ViewCache(10);
    const { calls, load } = loader();
    expect(await cache.get('a', 5, load('a', '{"v":1}'))).toBe('{"v":1}');
    expect(await cache.get('a', 5, load('a', '{"v":2}'))).toBe('{"v":2}');
    expect(await cache.get('a', 5, load('a', '{"v":3}'))).toBe('{"v":2}');
    expect(await cache.get('a', 6, load('a', '{"v":4}'))).toBe('{"v":4}');
    expect(await cache.get('a', 6, load('a', '{"v":5}'))).toBe('{"v":4}');
    expect(calls).toEqual(['a', 'a', 'a']);
  });

  test('does not hold views asked for once', async () => {
    const cache = new ViewCache(10);
    const { load } = loader();
    for (let i = 0; i < 50; i++) await cache.get(`once${i}`, 1, load(`once${i}`, `${i}`));
    expect(cache.size).toBe(0);
  });

  test('remembers a missing view (null) as well', async () => {
    const cache = new ViewCache(10);
    const { calls, load } = loader();
    expect(await cache.get('gone', 1, load('gone', null))).toBeNull();
    expect(await cache.get('gone', 1, load('gone', null))).toBeNull();
    expect(await cache.get('gone', 1, load('gone', '{}'))).toBeNull();
    expect(calls).toEqual(['gone', 'gone']);
  });

  test('stays within twice its capacity and keeps what is read again', async () => {
    const cache = new ViewCache(100);
    const { calls, load } = loader();
    for (let i = 0; i < 1000; i++) {
      // Each key twice, so that it is kept.
      await cache.get(`k${i}`, 1, load(`k${i}`, `${i}`));
      await cache.get(`k${i}`, 1, load(`k${i}`, `${i}`));
      await cache.get('hot', 1, load('hot', '"hot"'));
      expect(cache.size).toBeLessThanOrEqual(200);
    }
    expect(calls.filter((k) => k === 'hot')).toEqual(['hot', 'hot']);
    // The newest keys are still held; the first ones are gone.
    calls.length = 0;
    expect(await cache.get('k999', 1, load('k999', 'x'))).toBe('999');
    expect(await cache.get('k0', 1, load('k0', 'x'))).toBe('x');
    expect(calls).toEqual(['k0']);
  });
});
