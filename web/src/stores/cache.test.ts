import { describe, expect, it } from 'vitest';
import { cachedResource } from './cache';

/** A loader that counts its calls per key: a cache hit does not call it. */
function counting() {
  const calls = new Map<string, number>();
  const loader = (k: string) => async () => {
    calls.set(k, (calls.get(k) ?? 0) + 1);
    return { data: `data of ${k}` };
  };
  return { calls, loader };
}

describe('cachedResource', () => {
  it('shows a key seen before from the cache, and loads it again when forced', async () => {
    const r = cachedResource<string>(3);
    const { calls, loader } = counting();
    await r.load('a', loader('a'));
    await r.load('b', loader('b'));
    await r.load('a', loader('a'));
    expect(r.data.value).toBe('data of a');
    expect(calls.get('a')).toBe(1);
    await r.load('a', loader('a'), { force: true });
    expect(calls.get('a')).toBe(2);
  });

  it('holds at most `max` keys, dropping the least recently shown', async () => {
    const r = cachedResource<string>(3);
    const { calls, loader } = counting();
    for (const k of ['a', 'b', 'c']) await r.load(k, loader(k));
    // Showing 'a' again makes 'b' the least recent: the fourth key drops 'b', not 'a'.
    await r.load('a', loader('a'));
    await r.load('d', loader('d'));
    for (const k of ['a', 'c', 'd']) await r.load(k, loader(k));
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    await r.load('b', loader('b'));
    expect(calls.get('b')).toBe(2);
  });

  it('keeps the default bound of 50 keys over a long session', async () => {
    const r = cachedResource<string>();
    const { calls, loader } = counting();
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    for (const k of keys) await r.load(k, loader(k));
    // The last 50 are still held; the first 10 were dropped and load again.
    for (const k of keys.slice(10)) await r.load(k, loader(k));
    expect(keys.slice(10).every((k) => calls.get(k) === 1)).toBe(true);
    await r.load('k0', loader('k0'));
    expect(calls.get('k0')).toBe(2);
  });
});
