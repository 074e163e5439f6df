// What the worker and the view share: setData path keys, and what setData may carry to the view.
import { PathError, parsePath, setAtPath } from '../src/browser/shared/path';
import { CycleError, sanitize, type Dropped } from '../src/browser/shared/sanitize';

describe('setData path keys', () => {
  test.each([
    ['a', ['a']],
    ['a.b.c', ['a', 'b', 'c']],
    ['list[2]', ['list', 2]],
    ['a.b[2].c', ['a', 'b', 2, 'c']],
    ['m[0][1]', ['m', 0, 1]],
  ])('%s', (key, path) => {
    expect(parsePath(key)).toEqual(path);
  });

  test.each(['', 'a..b', '.a', 'a.', 'a[x]', 'a[1', 'a]'])('%j is refused', (key) => {
    expect(() => parsePath(key)).toThrow(PathError);
  });

  test('setting creates objects, and arrays before an index', () => {
    const data: Record<string, unknown> = { keep: 1 };
    setAtPath(data, parsePath('a.b[1].c'), 'x');
    expect(data).toEqual({ keep: 1, a: { b: [undefined, { c: 'x' }] } });
  });
});

describe('what setData may carry (JSON, as the platform sends it)', () => {
  test('functions, undefined in arrays, Dates, NaN, Maps: dropped or changed, each named by its path', () => {
    const dropped: Dropped[] = [];
    const value = sanitize(
      { f: () => 1, list: [1, undefined, () => 2], at: new Date(0), n: NaN, m: new Map(), gone: undefined, ok: 'yes' },
      'order',
      dropped,
    );
    expect(value).toEqual({ list: [1, null, null], at: '1970-01-01T00:00:00.000Z', n: null, m: {}, ok: 'yes' });
    expect(dropped.map((item) => item.path)).toEqual([
      'order.f',
      'order.list[1]',
      'order.list[2]',
      'order.at',
      'order.n',
      'order.m',
    ]);
  });

  test('a cycle cannot be sent: a CycleError naming where', () => {
    const loop: Record<string, unknown> = { a: { b: {} } };
    (loop.a as any).b.back = loop;
    expect(() => sanitize(loop, 'data', [])).toThrow(new CycleError('data.a.b.back'));
  });

  test('the same object twice (not a cycle) is fine', () => {
    const shared = { x: 1 };
    expect(sanitize({ a: shared, b: shared }, 'd', [])).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});
