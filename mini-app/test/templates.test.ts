/**
 * @jest-environment jsdom
 *
 * Each page's real .axml (translated by the adapter) rendered by miniprogram-simulate with the data the
 * page's own logic produces; assertions are on what a user sees and on taps reaching the handlers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Order, Product } from '@minipay/contract';
import { en, es, type Strings } from '../src/i18n/strings';
import { cartTotal, productRows } from '../src/logic/cart';
import { formatMoney } from '../src/logic/money';
import { orderView } from '../src/logic/order-view';
import { orderRows } from '../src/logic/orders-view';
import { resultView } from '../src/logic/result-view';
import { antdHandlerArgs, antdStubs, axmlToWxml } from './harness/axml-adapter';
import { FakeMy } from './harness/fake-my';
import { MiniProgramRuntime, type PageInstance } from './harness/runtime';

const simulate = require('miniprogram-simulate');

const pagesDir = join(__dirname, '..', 'src', 'pages');
let stubs: Record<string, string>;

beforeAll(() => {
  stubs = antdStubs(simulate);
});

interface Rendered {
  dom: HTMLElement;
  text(): string;
  /** Taps the antd-mini button whose className has `cls` (through the stub, so disabled buttons do nothing). */
  tapButton(cls: string): Promise<void>;
  root: any;
  /** Each handler call with the arguments the page's method receives (antd-mini's, not WeChat's event). */
  calls: Array<{ handler: string; args: unknown[] }>;
}

type Handle = (handler: string, args: unknown[]) => void;

/**
 * Renders pages/<page>/index.axml with `data`. Every handler the template names is recorded with the
 * arguments antd-mini would call it with, then handed to `handle` (the live page's method, when given).
 */
function renderPage(page: string, data: Record<string, unknown>, handle?: Handle): Rendered {
  const axml = readFileSync(join(pagesDir, page, 'index.axml'), 'utf8');
  const json = JSON.parse(readFileSync(join(pagesDir, page, 'index.json'), 'utf8')) as {
    usingComponents: Record<string, string>;
  };
  const usingComponents: Record<string, string> = {};
  for (const tag of Object.keys(json.usingComponents)) {
    if (!stubs[tag]) throw new Error(`no stub for <${tag}>`);
    usingComponents[tag] = stubs[tag] as string;
  }
  const template = axmlToWxml(axml);
  const calls: Array<{ handler: string; args: unknown[] }> = [];
  const handlers = [...template.matchAll(/(?:bind|catch):\w+="(\w+)"/g)].map((m) => m[1] as string);
  const methods: Record<string, (event: any) => void> = {};
  for (const handler of handlers) {
    methods[handler] = (event) => {
      const args = event?.detail?.antdArgs ? antdHandlerArgs(event) : [event];
      calls.push({ handler, args });
      handle?.(handler, args);
    };
  }
  const id = simulate.load({ template, data, usingComponents, methods });
  const root = simulate.render(id);
  root.attach(document.createElement('parent-wrapper'));
  return {
    root,
    dom: root.dom,
    calls,
    text: () => visibleText(root.dom),
    async tapButton(cls: string) {
      const host = root.querySelector(`.${cls}`);
      if (!host) throw new Error(`no button .${cls}`);
      host.querySelector('.stub-button').dispatchEvent('tap');
      await simulate.sleep(10);
    },
  };
}

/** The text a user reads: each text node trimmed, joined by single spaces. */
function visibleText(node: Node): string {
  const parts: string[] = [];
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  for (let current = walker.nextNode(); current; current = walker.nextNode()) {
    const value = (current.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (value) parts.push(value);
  }
  return parts.join(' ');
}

const products: Product[] = [
  {
    id: 'coffee',
    name: 'Flat white',
    description: 'Double shot',
    price: { currency: 'USD', value: '350' },
    imageUrl: 'data:image/svg+xml;base64,',
  },
  {
    id: 'tea',
    name: 'Matcha latte',
    description: 'Ceremonial grade',
    price: { currency: 'USD', value: '425' },
    imageUrl: 'data:image/svg+xml;base64,',
  },
];

function productsData(quantities: Record<string, number>, t: Strings = en, locale: 'en' | 'es' = 'en') {
  const total = cartTotal(products, quantities);
  return {
    t,
    loading: false,
    error: null,
    products,
    quantities,
    rows: productRows(products, quantities, locale),
    total: total ? formatMoney(total, locale) : '',
    canCheckout: !!total,
  };
}

const order: Order = {
  id: 'ord_42',
  status: 'CREATED',
  amount: { currency: 'USD', value: '1125' },
  items: [
    {
      productId: 'coffee',
      name: 'Flat white',
      quantity: 2,
      unitPrice: { currency: 'USD', value: '350' },
      lineTotal: { currency: 'USD', value: '700' },
    },
    {
      productId: 'tea',
      name: 'Matcha latte',
      quantity: 1,
      unitPrice: { currency: 'USD', value: '425' },
      lineTotal: { currency: 'USD', value: '425' },
    },
  ],
  payee: { name: 'Minipay Demo Shop' },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  expiresAt: '2026-01-01T00:15:00Z',
};

describe('axml adapter', () => {
  test('translates the directives and events the app uses', () => {
    expect(
      axmlToWxml('<view a:if="{{a}}" onTap="go"></view><view a:elif="{{b}}" catchTap="stop"/><block a:else></block>'),
    ).toBe('<view wx:if="{{a}}" bind:tap="go"></view><view wx:elif="{{b}}" catch:tap="stop"/><block wx:else></block>');
    expect(
      axmlToWxml(
        '<ant-stepper className="q" a:for="{{rows}}" a:for-item="row" a:for-index="i" a:key="id" onChange="c" />',
      ),
    ).toBe(
      '<ant-stepper className="q" wx:for="{{rows}}" wx:for-item="row" wx:for-index="i" wx:key="id" bind:change="c" class="q"></ant-stepper>',
    );
  });

  test('refuses axml outside the subset instead of rendering it wrongly', () => {
    expect(() => axmlToWxml('<view a:show="{{x}}"></view>')).toThrow('a:show');
    expect(() => axmlToWxml('<import-sjs from="./x.sjs" name="x"></import-sjs>')).toThrow(/import-sjs/);
  });

  test('the disabled stub button raises nothing, so a passing "Pay" test can fail', async () => {
    const page = renderPage('confirm', {
      t: en,
      loading: false,
      order: orderView(order, en, 'en'),
      paying: true,
      error: null,
    });
    await page.tapButton('pay');
    expect(page.calls).toEqual([]);
  });
});

describe('each template agrees with its page', () => {
  const pages = MiniProgramRuntime.appJson().pages;

  test.each(pages)('%s: every handler the template names is a method of the page', (route) => {
    const runtime = new MiniProgramRuntime({
      my: new FakeMy({ offline: true }),
      buildGlobals: { __MINIPAY_SANDBOX__: false },
    });
    try {
      runtime.launch();
      const options = runtime.pageOptions.get(route)!;
      const axml = readFileSync(join(pagesDir, '..', `${route}.axml`), 'utf8');
      const handlers = [...axml.matchAll(/\s(?:on|catch)[A-Z]\w*="(\w+)"/g)].map((m) => m[1] as string);
      expect(handlers.length).toBeGreaterThan(0);
      expect(handlers.filter((name) => typeof options[name] !== 'function')).toEqual([]);
    } finally {
      runtime.close();
    }
  });

  test.each(pages)('%s: every custom component tag in the template is declared in usingComponents', (route) => {
    const axml = readFileSync(join(pagesDir, '..', `${route}.axml`), 'utf8');
    const json = JSON.parse(readFileSync(join(pagesDir, '..', `${route}.json`), 'utf8')) as {
      usingComponents?: Record<string, string>;
    };
    const tags = new Set([...axml.matchAll(/<([a-z][\w]*-[\w-]+)/g)].map((m) => m[1] as string));
    expect([...tags].filter((tag) => !json.usingComponents?.[tag])).toEqual([]);
  });
});

test.each([
  ['products', { ...productsData({}), rows: [] }],
  ['confirm', { t: en, loading: false, order: null, paying: false }],
  ['result', { t: en, loading: false, checking: false, view: null }],
  ['orders', { t: en, loading: false, loadingMore: false, rows: [], nextCursor: null }],
])('%s: "Try again" is a small inline button (antd-mini ignores size on a full-width one)', (page, data) => {
  const view = renderPage(page as string, { ...data, error: { message: en.errors.unreachable, canRetry: true } });
  const button = view.root.querySelector('.retry').querySelector('.stub-button');
  expect(button.dom.className.split(/\s+/)).toEqual(expect.arrayContaining(['ant-button-inline', 'ant-button-small']));
});

describe('products page', () => {
  test('shows every product with its price, the steppers and the cart total', () => {
    const page = renderPage('products', productsData({ coffee: 2, tea: 1 }));
    expect(page.text()).toBe(
      'My orders Flat white USD 3.50 Double shot - 2 + Matcha latte USD 4.25 Ceremonial grade - 1 + Total USD 11.25 Checkout',
    );
    expect(page.root.querySelectorAll('.stub-stepper').length).toBe(0); // inside the steppers' own shadow trees
    expect(
      page.root.querySelectorAll('.quantity-stepper').map((s: any) => s.querySelector('.stub-value').dom.textContent),
    ).toEqual(['2', '1']);
  });

  test('the stepper reaches onQuantityChange with the product id; Checkout reaches onCheckout', async () => {
    const page = renderPage('products', productsData({ coffee: 1 }));
    page.root.querySelectorAll('.quantity-stepper')[1].querySelector('.stub-plus').dispatchEvent('tap');
    await simulate.sleep(10);
    expect(page.calls).toHaveLength(1);
    // As antd-mini's Stepper calls it: onChange(value, event), the stepper's data-id in the event's dataset.
    expect(page.calls[0]).toEqual({
      handler: 'onQuantityChange',
      args: [1, expect.objectContaining({ currentTarget: { dataset: { id: 'tea' } } })],
    });
    await page.tapButton('checkout');
    expect(page.calls.map((c) => c.handler)).toEqual(['onQuantityChange', 'onCheckout']);
  });

  test('an empty cart shows no total and Checkout does nothing', async () => {
    const page = renderPage('products', productsData({}));
    expect(page.text()).toContain('Total —');
    await page.tapButton('checkout');
    expect(page.calls).toEqual([]);
  });

  test('loading, then an unreachable server with "Try again"', async () => {
    const loading = renderPage('products', { ...productsData({}), loading: true, rows: [] });
    expect(loading.text()).toBe(en.products.loading);
    const failed = renderPage('products', {
      ...productsData({}),
      rows: [],
      error: { message: en.errors.unreachable, canRetry: true },
    });
    expect(failed.text()).toBe(`${en.errors.unreachable} ${en.errors.retry}`);
    await failed.tapButton('retry');
    expect(failed.calls.map((c) => c.handler)).toEqual(['onRetry']);
  });

  test('in Spanish', () => {
    const page = renderPage('products', productsData({ coffee: 1 }, es, 'es'));
    expect(page.text()).toContain('3,50 USD');
    expect(page.text()).toContain('Continuar');
  });
});

describe('confirm page', () => {
  test('shows the payee, each line with quantity and price, and the total', () => {
    const page = renderPage('confirm', {
      t: en,
      loading: false,
      order: orderView(order, en, 'en'),
      paying: false,
      error: null,
    });
    const text = page.text();
    for (const expected of [
      'Pay to: Minipay Demo Shop',
      'Flat white',
      '2 × USD 3.50',
      'USD 7.00',
      'Matcha latte',
      '1 × USD 4.25',
      'USD 11.25',
    ]) {
      expect(text).toContain(expected);
    }
    expect(page.root.querySelector('.pay').querySelector('.stub-button').dom.textContent.trim()).toBe('Pay');
  });

  test('the payee line keeps its space: a template compiler may drop whitespace between text and a tag, not a bound value', () => {
    // text() joins text nodes with spaces, so it cannot see this; the raw text of the line can.
    const page = renderPage('confirm', {
      t: en,
      loading: false,
      order: orderView(order, en, 'en'),
      paying: false,
      error: null,
    });
    expect(page.root.querySelector('.payee').dom.textContent).toBe('Pay to: Minipay Demo Shop');
  });

  test('tapping "Pay" reaches onPay', async () => {
    const page = renderPage('confirm', {
      t: en,
      loading: false,
      order: orderView(order, en, 'en'),
      paying: false,
      error: null,
    });
    await page.tapButton('pay');
    expect(page.calls.map((c) => c.handler)).toEqual(['onPay']);
  });

  test('while paying the button says so and is disabled', async () => {
    const page = renderPage('confirm', {
      t: en,
      loading: false,
      order: orderView(order, en, 'en'),
      paying: false,
      error: null,
    });
    page.root.setData({ paying: true });
    await simulate.sleep(10);
    expect(page.root.querySelector('.pay').querySelector('.stub-button').dom.textContent.trim()).toBe('Paying…');
    await page.tapButton('pay');
    expect(page.calls).toEqual([]);
  });

  test('a refused payment shows the reason next to the order, with "Try again"', async () => {
    const message = 'The payment could not be created: The payment was rejected for risk reasons.';
    const page = renderPage('confirm', {
      t: en,
      loading: false,
      order: orderView(order, en, 'en'),
      paying: false,
      error: { message, canRetry: true },
    });
    expect(page.text()).toContain(message);
    expect(page.text()).toContain('USD 11.25');
    await page.tapButton('retry');
    expect(page.calls.map((c) => c.handler)).toEqual(['onRetry']);
  });

  test('while the order is being created only that is said', () => {
    const page = renderPage('confirm', { t: en, loading: true, order: null, paying: false, error: null });
    expect(page.text()).toBe(en.confirm.creating);
  });
});

describe('result page', () => {
  test.each([
    ['PAID', {}, 'Payment successful', 'Order ord_42 is paid: USD 11.25.'],
    [
      'FAILED',
      { failReason: { code: 'USER_BALANCE_NOT_ENOUGH', message: 'The user balance is not enough.' } },
      'Payment failed',
      'The payment did not go through: Your balance is not enough.',
    ],
    ['CANCELLED', {}, 'Payment cancelled', 'Order ord_42 was not paid.'],
    ['PAYING', {}, 'Payment pending', 'The wallet has not confirmed the payment yet.'],
  ] as const)('%s: the title and message, and a way back to the shop', async (status, extra, title, message) => {
    const view = resultView({ ...order, status, ...extra }, en, 'en');
    const page = renderPage('result', { t: en, loading: false, checking: false, view, error: null });
    expect(page.root.querySelector('.result').querySelector('.stub-result-title').dom.textContent).toBe(title);
    expect(page.text()).toContain(message);
    expect(page.text()).toContain('Back to the shop');
    expect(page.text().includes('Check again')).toBe(status === 'PAYING');
    await page.tapButton('back-to-shop');
    expect(page.calls.map((c) => c.handler)).toEqual(['onBackToShop']);
  });

  test('pending: "Check again" reaches onCheckAgain, and does nothing while checking', async () => {
    const view = resultView({ ...order, status: 'PAYING' }, en, 'en');
    const page = renderPage('result', { t: en, loading: false, checking: false, view, error: null });
    await page.tapButton('check-again');
    expect(page.calls.map((c) => c.handler)).toEqual(['onCheckAgain']);
    page.root.setData({ checking: true });
    await simulate.sleep(10);
    await page.tapButton('check-again');
    expect(page.calls).toHaveLength(1);
  });
});

/**
 * The templates wired to the live pages: the app's real code runs under the harness (its requests answered
 * by a scripted merchant server, the wallet's JSAPIs by doubles), each page's template is rendered from
 * the page's own data, and a tap on the rendered component calls the page's real handler with the
 * arguments antd-mini passes. After a handler runs, the view is given the page's data again.
 */
describe('orders page', () => {
  const paid: Order = {
    ...order,
    id: 'ord_paid',
    status: 'PAID',
    refundedAmount: { currency: 'USD', value: '350' },
    refunds: [
      {
        id: 'rf_1',
        status: 'SUCCEEDED',
        amount: { currency: 'USD', value: '350' },
        initiator: 'operator',
        createdAt: '2026-01-01T01:00:00Z',
        updatedAt: '2026-01-01T01:00:00Z',
      },
      {
        id: 'rf_2',
        status: 'PENDING',
        amount: { currency: 'USD', value: '100' },
        initiator: 'operator',
        createdAt: '2026-01-01T01:00:00Z',
        updatedAt: '2026-01-01T01:00:00Z',
      },
    ],
  };
  const ordersData = (
    orders: Order[],
    extra: Record<string, unknown> = {},
    t: Strings = en,
    locale: 'en' | 'es' = 'en',
  ) => ({
    t,
    loading: false,
    loadingMore: false,
    error: null,
    rows: orderRows(orders, t, locale),
    nextCursor: null,
    ...extra,
  });

  test('each order with its date, items, status, amount and refunds; a tap on a row reaches onOpen with its id', async () => {
    const page = renderPage('orders', ordersData([paid, order]));
    const text = page.text();
    expect(text).toContain('2 × Flat white, Matcha latte');
    expect(text).toContain('Paid');
    expect(text).toContain('Not paid');
    expect(text).toContain('USD 11.25');
    expect(text).toContain('Refunded USD 3.50 · Refund of USD 1.00 pending');
    expect(page.root.querySelectorAll('.order-row')).toHaveLength(2);
    expect(page.root.querySelectorAll('.order-refund')).toHaveLength(1);
    page.root.querySelector('.order-row').dispatchEvent('tap');
    await simulate.sleep(10);
    expect(page.calls[0]?.handler).toBe('onOpen');
    expect((page.calls[0]?.args[0] as any).currentTarget.dataset.id).toBe('ord_paid');
  });

  test('"Older orders" only while there is a next page; none yet says so', () => {
    expect(renderPage('orders', ordersData([order])).root.querySelector('.more')).toBeFalsy();
    expect(renderPage('orders', ordersData([order], { nextCursor: 'abc' })).root.querySelector('.more')).toBeTruthy();
    expect(renderPage('orders', ordersData([])).text()).toContain(en.orders.empty);
    expect(renderPage('orders', ordersData([], { loading: true })).text()).toBe(en.orders.loading);
  });

  test('in Spanish', () => {
    const text = renderPage('orders', ordersData([paid], {}, es, 'es')).text();
    expect(text).toContain('Pagado');
    expect(text).toContain('Reembolsado 3,50 USD · Reembolso de 1,00 USD pendiente');
  });
});

describe('templates wired to the live pages', () => {
  let runtime: MiniProgramRuntime | undefined;
  afterEach(() => {
    runtime?.close();
    runtime = undefined;
  });

  function scriptedMerchant(my: FakeMy, orderStatus: () => Order['status']): void {
    my.intercept = ({ method, url }) => {
      const path = url.replace(/^https?:\/\/[^/]+/, '');
      if (method === 'POST' && path === '/api/session')
        return { status: 200, body: { token: 't', customerId: 'c', expiresAt: '2999-01-01T00:00:00.000Z' } };
      if (method === 'GET' && path === '/api/products') return { status: 200, body: { products } };
      if (method === 'POST' && path === '/api/orders') return { status: 201, body: order };
      if (method === 'POST' && path === `/api/orders/${order.id}/payment`)
        return { status: 200, body: { paymentId: 'pay_1', paymentUrl: 'https://wallet.test/cashier/pay_1' } };
      if (method === 'GET' && path === `/api/orders/${order.id}`)
        return { status: 200, body: { ...order, status: orderStatus() } };
      return { status: 404, body: { error: { code: 'NOT_FOUND', message: `${method} ${path}` } } };
    };
  }

  function launch(
    options: { tradePay?: (call: any) => void; orderStatus?: () => Order['status'] } = {},
  ): MiniProgramRuntime {
    const my = new FakeMy({
      getAuthCode: ({ success }) => success({ authCode: 'code' }),
      tradePay: options.tradePay ?? ((call) => call.success?.({ resultCode: '9000' })),
    });
    scriptedMerchant(my, options.orderStatus ?? (() => 'PAID'));
    runtime = new MiniProgramRuntime({
      my,
      buildGlobals: { __MINIPAY_MERCHANT_URL__: 'https://shop.test', __MINIPAY_SANDBOX__: false },
    });
    runtime.launch();
    runtime.app!.confirmSchedule = [0];
    return runtime;
  }

  /** Renders the live page's template; taps go to the page's real handlers. */
  function renderLive(app: MiniProgramRuntime, page: PageInstance) {
    const name = page.route.split('/')[1] as string;
    const view = renderPage(name, JSON.parse(JSON.stringify(page.data)), (handler, args) => {
      if (app.currentPage() !== page)
        throw new Error(`${handler} tapped on ${page.route}, which is not the page on top`);
      app.tap(handler, ...args);
    });
    return {
      ...view,
      /** Gives the view the page's current data, as the platform does after setData. */
      async refresh() {
        view.root.setData(JSON.parse(JSON.stringify(page.data)));
        await simulate.sleep(0);
      },
    };
  }

  test('products: the stepper changes the quantity through the real onQuantityChange, the total follows, Checkout opens confirm', async () => {
    const app = launch();
    const page = await app.waitForPage('pages/products/index', (p) => !p.data.loading);
    const view = renderLive(app, page);
    expect(view.text()).toContain('Total —');

    view.root.querySelectorAll('.quantity-stepper')[1].querySelector('.stub-plus').dispatchEvent('tap');
    view.root.querySelectorAll('.quantity-stepper')[1].querySelector('.stub-plus').dispatchEvent('tap');
    await simulate.sleep(10);
    expect(page.data.quantities).toEqual({ tea: 1 });
    await view.refresh();
    view.root.querySelectorAll('.quantity-stepper')[1].querySelector('.stub-plus').dispatchEvent('tap');
    await simulate.sleep(10);
    await view.refresh();
    expect(page.data.quantities).toEqual({ tea: 2 });
    expect(
      view.root.querySelectorAll('.quantity-stepper').map((s: any) => s.querySelector('.stub-value').dom.textContent),
    ).toEqual(['0', '2']);
    expect(view.text()).toContain('Total USD 8.50');

    await view.tapButton('checkout');
    expect(app.my.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/confirm/index?items=tea:2' }]);
    await app.waitForPage('pages/confirm/index');
    expect(app.errors).toEqual([]);
  });

  test('confirm: tapping the rendered Pay runs the real onPay — the button turns to "Paying…" and ignores taps — then the result page opens', async () => {
    let openCashier!: () => void;
    const app = launch({ tradePay: (call) => (openCashier = () => call.success?.({ resultCode: '9000' })) });
    app.my.navigateTo({ url: '/pages/confirm/index?items=coffee:2,tea:1' });
    const page = await app.waitForPage('pages/confirm/index', (p) => !p.data.loading);
    const view = renderLive(app, page);
    expect(view.text()).toContain('USD 11.25');

    await view.tapButton('pay');
    expect(page.data.paying).toBe(true);
    await view.refresh();
    expect(view.root.querySelector('.pay').querySelector('.stub-button').dom.textContent.trim()).toBe('Paying…');
    await view.tapButton('pay');
    expect(view.calls.map((c) => c.handler)).toEqual(['onPay']);

    await app.waitFor(() => openCashier !== undefined, 'the cashier to open');
    openCashier();
    const result = await app.waitForPage('pages/result/index', (p) => !p.data.loading);
    expect(app.my.requests.filter((r) => r.url.endsWith('/payment'))).toHaveLength(1);
    const resultView = renderLive(app, result);
    expect(resultView.text()).toContain('Payment successful');
    await resultView.tapButton('back-to-shop');
    await app.waitForPage('pages/products/index');
    expect(app.pages()).toHaveLength(1);
    expect(app.errors).toEqual([]);
  });

  test('result: a pending order shows "Check again", whose tap asks the server again and shows the answer', async () => {
    let status: Order['status'] = 'PAYING';
    const app = launch({ orderStatus: () => status });
    app.my.reLaunch({ url: `/pages/result/index?orderId=${order.id}` });
    const page = await app.waitForPage('pages/result/index', (p) => !p.data.loading);
    const view = renderLive(app, page);
    expect(view.text()).toContain('Payment pending');

    status = 'PAID';
    await view.tapButton('check-again');
    await app.waitFor(() => page.data.view?.kind === 'paid', 'the paid answer');
    await view.refresh();
    expect(view.text()).toContain('Payment successful');
    expect(view.text()).not.toContain('Check again');
  });
});
