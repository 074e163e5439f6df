/**
 * @jest-environment jsdom
 *
 * Each page's real .axml (translated by the adapter) rendered by miniprogram-simulate with the data the
 * page's own logic produces; assertions are on what a user sees and on taps reaching the handlers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Order, Product } from '../src/api/types';
import { en, es, type Strings } from '../src/i18n/strings';
import { cartTotal, productRows } from '../src/logic/cart';
import { formatMoney } from '../src/logic/money';
import { orderView } from '../src/logic/order-view';
import { resultView } from '../src/logic/result-view';
import { antdStubs, axmlToWxml } from './harness/axml-adapter';

// eslint-disable-next-line @typescript-eslint/no-require-imports
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
  calls: Array<{ handler: string; event: any }>;
}

/** Renders pages/<page>/index.axml with `data`; every handler the template names records its calls. */
function renderPage(page: string, data: Record<string, unknown>): Rendered {
  const axml = readFileSync(join(pagesDir, page, 'index.axml'), 'utf8');
  const json = JSON.parse(readFileSync(join(pagesDir, page, 'index.json'), 'utf8')) as { usingComponents: Record<string, string> };
  const usingComponents: Record<string, string> = {};
  for (const tag of Object.keys(json.usingComponents)) {
    if (!stubs[tag]) throw new Error(`no stub for <${tag}>`);
    usingComponents[tag] = stubs[tag] as string;
  }
  const template = axmlToWxml(axml);
  const calls: Array<{ handler: string; event: any }> = [];
  const handlers = [...template.matchAll(/(?:bind|catch):\w+="(\w+)"/g)].map((m) => m[1] as string);
  const methods: Record<string, (event: unknown) => void> = {};
  for (const handler of handlers) methods[handler] = (event) => calls.push({ handler, event });
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
  { id: 'coffee', name: 'Flat white', description: 'Double shot', price: { currency: 'USD', value: '350' } },
  { id: 'tea', name: 'Matcha latte', description: 'Ceremonial grade', price: { currency: 'USD', value: '425' } },
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
    { productId: 'coffee', name: 'Flat white', quantity: 2, unitPrice: { currency: 'USD', value: '350' }, lineTotal: { currency: 'USD', value: '700' } },
    { productId: 'tea', name: 'Matcha latte', quantity: 1, unitPrice: { currency: 'USD', value: '425' }, lineTotal: { currency: 'USD', value: '425' } },
  ],
  payee: { name: 'Minipay Demo Shop' },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('axml adapter', () => {
  test('translates the directives and events the app uses', () => {
    expect(axmlToWxml('<view a:if="{{a}}" onTap="go"></view><view a:elif="{{b}}" catchTap="stop"/><block a:else></block>')).toBe(
      '<view wx:if="{{a}}" bind:tap="go"></view><view wx:elif="{{b}}" catch:tap="stop"/><block wx:else></block>',
    );
    expect(axmlToWxml('<ant-stepper className="q" a:for="{{rows}}" a:for-item="row" a:for-index="i" a:key="id" onChange="c" />')).toBe(
      '<ant-stepper className="q" wx:for="{{rows}}" wx:for-item="row" wx:for-index="i" wx:key="id" bind:change="c" class="q"></ant-stepper>',
    );
  });

  test('refuses axml outside the subset instead of rendering it wrongly', () => {
    expect(() => axmlToWxml('<view a:show="{{x}}"></view>')).toThrow('a:show');
    expect(() => axmlToWxml('<import-sjs from="./x.sjs" name="x"></import-sjs>')).toThrow(/import-sjs/);
  });

  test('the disabled stub button raises nothing, so a passing "Pay" test can fail', async () => {
    const page = renderPage('confirm', { t: en, loading: false, order: orderView(order, en, 'en'), paying: true, error: null });
    await page.tapButton('pay');
    expect(page.calls).toEqual([]);
  });
});

describe('products page', () => {
  test('shows every product with its price, the steppers and the cart total', () => {
    const page = renderPage('products', productsData({ coffee: 2, tea: 1 }));
    expect(page.text()).toBe(
      'Flat white USD 3.50 Double shot - 2 + Matcha latte USD 4.25 Ceremonial grade - 1 + Total USD 11.25 Checkout',
    );
    expect(page.root.querySelectorAll('.stub-stepper').length).toBe(0); // inside the steppers' own shadow trees
    expect(page.root.querySelectorAll('.quantity-stepper').map((s: any) => s.querySelector('.stub-value').dom.textContent)).toEqual(['2', '1']);
  });

  test('the stepper reaches onQuantityChange with the product id; Checkout reaches onCheckout', async () => {
    const page = renderPage('products', productsData({ coffee: 1 }));
    page.root.querySelectorAll('.quantity-stepper')[1].querySelector('.stub-plus').dispatchEvent('tap');
    await simulate.sleep(10);
    expect(page.calls).toHaveLength(1);
    expect(page.calls[0]).toMatchObject({ handler: 'onQuantityChange', event: { detail: 1, currentTarget: { dataset: { id: 'tea' } } } });
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
    const failed = renderPage('products', { ...productsData({}), rows: [], error: { message: en.errors.unreachable, canRetry: true } });
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
    const page = renderPage('confirm', { t: en, loading: false, order: orderView(order, en, 'en'), paying: false, error: null });
    const text = page.text();
    for (const expected of ['Pay to: Minipay Demo Shop', 'Flat white', '2 × USD 3.50', 'USD 7.00', 'Matcha latte', '1 × USD 4.25', 'USD 11.25']) {
      expect(text).toContain(expected);
    }
    expect(page.root.querySelector('.pay').querySelector('.stub-button').dom.textContent.trim()).toBe('Pay');
  });

  test('tapping "Pay" reaches onPay', async () => {
    const page = renderPage('confirm', { t: en, loading: false, order: orderView(order, en, 'en'), paying: false, error: null });
    await page.tapButton('pay');
    expect(page.calls.map((c) => c.handler)).toEqual(['onPay']);
  });

  test('while paying the button says so and is disabled', async () => {
    const page = renderPage('confirm', { t: en, loading: false, order: orderView(order, en, 'en'), paying: false, error: null });
    page.root.setData({ paying: true });
    await simulate.sleep(10);
    expect(page.root.querySelector('.pay').querySelector('.stub-button').dom.textContent.trim()).toBe('Paying…');
    await page.tapButton('pay');
    expect(page.calls).toEqual([]);
  });

  test('a refused payment shows the reason next to the order, with "Try again"', async () => {
    const message = 'The payment could not be created: The payment was rejected for risk reasons.';
    const page = renderPage('confirm', { t: en, loading: false, order: orderView(order, en, 'en'), paying: false, error: { message, canRetry: true } });
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
    ['FAILED', { failReason: { code: 'USER_BALANCE_NOT_ENOUGH', message: 'The user balance is not enough.' } }, 'Payment failed', 'The payment did not go through: The user balance is not enough.'],
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
