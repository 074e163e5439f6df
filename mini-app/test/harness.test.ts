/** The harness itself: if it does not behave like the platform, the page tests prove nothing. */
import { FakeMy } from './harness/fake-my';
import { MiniProgramRuntime } from './harness/runtime';
import { applySetData, parsePath } from './harness/set-data';

describe('setData', () => {
  test.each([
    ['a', ['a']],
    ['a.b', ['a', 'b']],
    ['list[0].name', ['list', 0, 'name']],
    ['a.b[2][3].c', ['a', 'b', 2, 3, 'c']],
  ])('path %s', (path, parts) => {
    expect(parsePath(path)).toEqual(parts);
  });

  test.each(['', 'a..b', 'a[x]', '[0]x'])('rejects the path %p', (path) => {
    expect(() => parsePath(path)).toThrow(/bad path/);
  });

  test('updates nested paths in place, creating what is missing, copying values as JSON', () => {
    const data: Record<string, any> = { rows: [{ id: 'a', quantity: 1 }], keep: true };
    const value = { deep: 1, fn: () => 1 };
    applySetData(data, { 'rows[0].quantity': 3, 'rows[1].id': 'b', 'x.y': value, keep: undefined });
    expect(data).toEqual({ rows: [{ id: 'a', quantity: 3 }, { id: 'b' }], x: { y: { deep: 1 } }, keep: undefined });
    value.deep = 2;
    expect(data.x.y.deep).toBe(1);
  });
});

describe('runtime', () => {
  let runtime: MiniProgramRuntime;
  afterEach(() => runtime.close());

  function launch(): MiniProgramRuntime {
    const my = new FakeMy({ offline: true });
    runtime = new MiniProgramRuntime({ my, buildGlobals: { __MINIPAY_SANDBOX__: false } });
    runtime.launch();
    return runtime;
  }

  test('registers every page of app.json, provides the globals and opens the first page', () => {
    launch();
    expect([...runtime.pageOptions.keys()]).toEqual(MiniProgramRuntime.appJson().pages);
    expect(typeof (globalThis as any).getApp().api.order).toBe('function');
    expect((globalThis as any).getCurrentPages().map((p: any) => p.route)).toEqual(['pages/products/index']);
  });

  test('setData changes page data synchronously and calls its callback afterwards', async () => {
    launch();
    const page = runtime.currentPage();
    const order: string[] = [];
    page.setData({ 'quantities.tea': 2 }, () => order.push('callback'));
    order.push(`sync ${page.data.quantities.tea}`);
    await runtime.waitFor(() => order.length === 2, 'callback');
    expect(order).toEqual(['sync 2', 'callback']);
  });

  test('navigation keeps a stack with the platform lifecycles and query → onLoad', async () => {
    launch();
    const calls: string[] = [];
    // The pages to come (their options) and the page already open (its instance).
    const targets = [
      ...MiniProgramRuntime.appJson().pages.map((route) => [route, runtime.pageOptions.get(route)!] as const),
      ['pages/products/index', runtime.currentPage()] as const,
    ];
    for (const [route, options] of targets) {
      for (const hook of ['onLoad', 'onShow', 'onHide', 'onUnload']) {
        const original = options[hook] as ((...args: unknown[]) => unknown) | undefined;
        options[hook] = function (this: unknown, ...args: unknown[]) {
          calls.push(`${route.split('/')[1]}.${hook}${args.length ? ` ${JSON.stringify(args[0])}` : ''}`);
          return hook === 'onLoad' ? undefined : original?.apply(this, args);
        };
      }
    }
    runtime.my.navigateTo({ url: '/pages/result/index?orderId=o%201&x=2' });
    await runtime.waitForPage('pages/result/index');
    runtime.my.redirectTo({ url: '../confirm/index?items=tea:1' });
    await runtime.waitForPage('pages/confirm/index');
    expect(runtime.pages().map((p) => p.route)).toEqual(['pages/products/index', 'pages/confirm/index']);
    runtime.my.navigateBack();
    await runtime.waitForPage('pages/products/index');
    runtime.my.reLaunch({ url: '/pages/result/index' });
    await runtime.waitForPage('pages/result/index');
    expect(runtime.pages()).toHaveLength(1);
    expect(calls).toEqual([
      'products.onHide',
      'result.onLoad {"orderId":"o 1","x":"2"}',
      'result.onShow',
      'result.onUnload',
      'confirm.onLoad {"items":"tea:1"}',
      'confirm.onShow',
      'confirm.onUnload',
      'products.onShow',
      'products.onUnload',
      'result.onLoad {}',
      'result.onShow',
    ]);
  });

  test('navigateBack on the only page does nothing (no onUnload, no second onShow)', async () => {
    launch();
    const page = runtime.currentPage();
    const calls: string[] = [];
    for (const hook of ['onShow', 'onUnload']) {
      const original = page[hook];
      page[hook] = (...args: unknown[]) => {
        calls.push(hook);
        return original?.apply(page, args);
      };
    }
    runtime.my.navigateBack();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([]);
    expect(runtime.pages()).toEqual([page]);
    expect(runtime.errors).toEqual([]);
  });

  test('navigating to a page that is not in app.json is an error', async () => {
    launch();
    runtime.my.navigateTo({ url: '/pages/nope/index' });
    await expect(runtime.waitFor(() => false, 'never')).rejects.toThrow(/no page pages\/nope\/index/);
  });

  test('storage, toasts and titles are recorded', () => {
    launch();
    runtime.my.setStorageSync({ key: 'k', data: { a: 1 } });
    runtime.my.removeStorageSync({ key: 'k' });
    runtime.my.showToast({ content: 'hi' });
    expect(runtime.my.storageLog).toEqual([
      { op: 'set', key: 'k', data: { a: 1 } },
      { op: 'remove', key: 'k' },
    ]);
    expect(runtime.my.toasts).toEqual([{ content: 'hi', type: undefined }]);
    expect(runtime.my.titles).toEqual(['Shop']);
  });
});
