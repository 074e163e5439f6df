// The sample mini program (mini-app), built as the IDE would open it, running in the preview in Chromium
// against the real local stack: taps on the real antd-mini Stepper and Button, products → confirm → pay →
// result for every sandbox outcome, the production build paying at the sandbox cashier in the tradePay sheet
// and the development build through the sandbox shim's action sheet. What the page shows is asserted; each
// flow leaves a screenshot in packages/preview/test-output/ (git-ignored).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '@minipay/testing';
import { OUTCOMES, type Outcome } from '@minipay/wallet-sandbox';
import { en } from '../../../mini-app/src/i18n/strings';
import { startStack, type Stack } from '../../../mini-app/test/harness/stack';
import { startPreview, type RunningPreview } from '../src';
import { eventually, TEST_OUTPUT } from './helpers';

declare const getApp: any;
declare const window: any;

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..', '..');
type Build = 'development' | 'production';

let stack: Stack;
let browser: Browser;
let folder: string;
const previews: Partial<Record<Build, RunningPreview>> = {};
let page: Page;

/** `node mini-app/scripts/build.mjs --out-dir <dir> [--production]` with the stack's URLs, as a user builds. */
async function buildMiniApp(build: Build, outDir: string): Promise<void> {
  const args = [
    join(REPO, 'mini-app', 'scripts', 'build.mjs'),
    '--out-dir',
    outDir,
    // The stack is on 127.0.0.1: a production build refuses such a merchant URL unless told it is a test.
    ...(build === 'production' ? ['--production', '--insecure-merchant-url-for-testing'] : []),
  ];
  await run(process.execPath, args, {
    env: { ...process.env, MINIPAY_MERCHANT_URL: stack.merchantUrl, MINIPAY_SANDBOX_URL: stack.sandboxUrl },
    cwd: REPO,
  });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'minipay-preview-e2e-'));
  mkdirSync(TEST_OUTPUT, { recursive: true });
  [stack, browser] = await Promise.all([startStack({ reconcileAfterMs: 60_000 }), launchChromium()]);
  for (const build of ['development', 'production'] as const) {
    const dir = join(folder, build);
    await buildMiniApp(build, dir);
    previews[build] = await startPreview({ dir, port: 0, sandboxUrl: stack.sandboxUrl, watch: false });
  }
}, 120_000);
afterAll(async () => {
  await browser?.close();
  for (const preview of Object.values(previews)) await preview?.close();
  await stack?.close();
  rmSync(folder, { recursive: true, force: true });
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 460, height: 900 } });
});
afterEach(async () => {
  await page.close();
});

const products = () => page.frameLocator('iframe[data-route="pages/products/index"]');
const confirm = () => page.frameLocator('iframe[data-route="pages/confirm/index"]');
const result = () => page.frameLocator('iframe[data-route="pages/result/index"]');
const routes = (): Promise<string[]> => page.evaluate(() => window.__minipayPreview.state().routes);
const stepperValue = (frame: FrameLocator, row: number) =>
  frame.locator('.quantity-stepper').nth(row).locator('.ant-stepper-input').textContent();

async function open(build: Build): Promise<void> {
  await page.goto((previews[build] as RunningPreview).url);
  await products().locator('.product-name').first().waitFor();
}

/** Two of the first product and one of the second with the Stepper's own buttons, then Checkout. */
async function checkout(): Promise<string> {
  const up = (row: number) => products().locator('.quantity-stepper').nth(row).locator('.ant-stepper-button-up');
  await up(0).click();
  await up(0).click();
  await up(1).click();
  await eventually(
    () => stepperValue(products(), 0),
    (value) => /^\s*2\s*$/.test(value ?? ''),
    'stepper 0 value',
  );
  await eventually(
    () => stepperValue(products(), 1),
    (value) => /^\s*1\s*$/.test(value ?? ''),
    'stepper 1 value',
  );
  const total = (await products().locator('.cart-total').textContent()) as string;
  expect(total).toMatch(/\d/);
  await products().locator('.checkout').click();
  await confirm().locator('.order-total').waitFor();
  // The lines sit inside ant-list-item components, which the worker mounts after the page's own nodes: under load
  // the footer can be painted a moment before them, so wait for the second line rather than count at once.
  await confirm().locator('.line-name').nth(1).waitFor();
  expect(await confirm().locator('.line-name').count()).toBe(2);
  expect(await confirm().locator('.order-total').textContent()).toBe(total);
  return total;
}

async function pay(build: Build, outcome: Outcome): Promise<void> {
  await confirm().locator('.pay').click();
  const label = OUTCOMES.find((definition) => definition.outcome === outcome)?.label as string;
  if (build === 'production') {
    const cashier = page.frameLocator('.preview-cashier-frame');
    await cashier.locator(`button[data-outcome="${outcome}"]`).click();
  } else {
    await page.locator('.preview-action-sheet').waitFor();
    await page
      .locator('.preview-sheet-item')
      .filter({ hasText: new RegExp(`^${label.replace(/[()]/g, '\\$&')}$`) })
      .click();
  }
}

const EXPECTED: Array<[Outcome, string, string]> = [
  ['pay', en.result.paidTitle, 'is paid'],
  ['processing', en.result.paidTitle, 'is paid'],
  ['fail', en.result.failedTitle, en.reasons.USER_BALANCE_NOT_ENOUGH],
  ['cancel', en.result.cancelledTitle, 'was not paid'],
  ['network-error', en.result.paidTitle, 'is paid'],
  ['unknown', en.result.paidTitle, 'is paid'],
];

describe.each(['production', 'development'] as const)('the %s build', (build) => {
  test.each(EXPECTED)(
    'products → confirm → pay with %s → the result page shows "%s"',
    async (outcome, title, message) => {
      await open(build);
      const total = await checkout();
      await pay(build, outcome);
      await result().locator('.ant-result-title').filter({ hasText: title }).waitFor({ timeout: 20_000 });
      const shown = (await result().locator('.ant-result-message').textContent()) as string;
      expect(shown).toContain(message);
      if (outcome === 'pay') expect(shown).toContain(total);
      expect(await routes()).toEqual(['pages/products/index', 'pages/result/index']);
      expect(await page.locator('.preview-title').textContent()).toBe('Payment result');
      expect(await page.locator('.preview-cashier, .preview-action-sheet').count()).toBe(0);
      await page.screenshot({ path: join(TEST_OUTPUT, `${build}-${outcome}.png`) });
      expect(
        (await page.evaluate(() => window.__minipayPreview.state().problems)).filter(
          (problem: { level?: string }) => problem.level !== 'warning',
        ),
      ).toEqual([]);
    },
  );
});

describe('the real antd-mini components', () => {
  test('the fixed footer stays on top: no Stepper button scrolled under it paints over the total or Checkout', async () => {
    await open('development');
    const covered = await products()
      .locator('.footer')
      .evaluate((footer: any) => {
        const doc = footer.ownerDocument;
        const box = footer.getBoundingClientRect();
        const hits: string[] = [];
        for (const button of Array.from(doc.querySelectorAll('.ant-stepper-button')) as any[]) {
          const r = button.getBoundingClientRect();
          const top = Math.max(r.top, box.top);
          const bottom = Math.min(r.bottom, box.bottom);
          if (bottom <= top || r.width === 0) continue;
          const hit = doc.elementFromPoint(r.left + r.width / 2, (top + bottom) / 2);
          if (!footer.contains(hit)) hits.push(String(hit && hit.className));
        }
        return { hits };
      });
    expect(covered.hits).toEqual([]);
  });

  test("the Stepper's buttons change the value, and its minus is disabled at the minimum", async () => {
    await open('development');
    const row = products().locator('.quantity-stepper').first();
    expect(await row.locator('.ant-stepper-button-down').getAttribute('class')).toContain('ant-button-disabled');
    await row.locator('.ant-stepper-button-down').click();
    expect(await stepperValue(products(), 0)).toMatch(/^\s*0\s*$/);
    await row.locator('.ant-stepper-button-up').click();
    await row.locator('.ant-stepper-button-up').click();
    await row.locator('.ant-stepper-button-down').click();
    await eventually(
      () => stepperValue(products(), 0),
      (value) => /^\s*1\s*$/.test(value ?? ''),
      'stepper 0 value',
    );
    expect(await row.locator('.ant-stepper-button-down').getAttribute('class')).not.toContain('ant-button-disabled');
  });

  test('a disabled Button ignores taps: Checkout with an empty cart neither navigates nor calls the page', async () => {
    await open('development');
    const checkoutButton = products().locator('.checkout');
    expect(await checkoutButton.getAttribute('class')).toContain('ant-button-disabled');
    await checkoutButton.click();
    await page.waitForTimeout(300);
    // The page's onCheckout would say "Choose at least one product." in a toast: it never ran.
    expect(await page.locator('.preview-toast').count()).toBe(0);
    expect(await routes()).toEqual(['pages/products/index']);
  });

  test('a loading Button ignores taps: a second tap on Pay while the cashier is open starts no second payment', async () => {
    await open('production');
    await checkout();
    await confirm().locator('.pay').click();
    await page.locator('.preview-cashier').waitFor();
    const before = (await (await fetch(`${stack.sandboxUrl}/sandbox/payments`)).json()) as { payments: unknown[] };
    expect(await confirm().locator('.pay').getAttribute('class')).toContain('ant-button-disabled');
    // The sheet's mask covers the page, so the tap goes to the button itself.
    await confirm().locator('.pay').dispatchEvent('click');
    await page.waitForTimeout(300);
    const after = (await (await fetch(`${stack.sandboxUrl}/sandbox/payments`)).json()) as { payments: unknown[] };
    expect(after.payments.length).toBe(before.payments.length);
    expect(await page.locator('.preview-cashier').count()).toBe(1);
  });

  test('closing the cashier sheet is the person cancelling (6001): the page waits on the server, which has no final status', async () => {
    await open('production');
    const worker = page.workers()[0];
    if (!worker) throw new Error('the preview has no worker');
    await worker.evaluate(() => (getApp().confirmSchedule = [0, 50, 100]));
    await checkout();
    await confirm().locator('.pay').click();
    await page.locator('.preview-cashier-close').click();
    expect(await page.locator('.preview-cashier').count()).toBe(0);
    await result()
      .locator('.ant-result-title')
      .filter({ hasText: en.result.pendingTitle })
      .waitFor({ timeout: 20_000 });
    expect(await result().locator('.check-again').count()).toBe(1);
  });
});

describe('"My orders"', () => {
  const orders = () => page.frameLocator('iframe[data-route="pages/orders/index"]');

  test('from the result page: the order just paid, as the server has it; a refund made by the shop shows up', async () => {
    await open('development');
    const total = await checkout();
    await pay('development', 'pay');
    await result().locator('.ant-result-title').filter({ hasText: en.result.paidTitle }).waitFor({ timeout: 20_000 });
    await result().locator('.my-orders').click();
    const first = orders().locator('.order-row').first();
    await first.waitFor();
    expect(await first.locator('.order-status').textContent()).toBe(en.orders.status.PAID);
    expect(await first.locator('.order-amount').textContent()).toBe(total);
    const orderId = (await first.locator('.order-id').textContent()) as string;
    expect(orderId).toMatch(/^ord_/);
    expect(await routes()).toEqual(['pages/products/index', 'pages/orders/index']);

    // The shop refunds part of it (the operator API, as `npm run refund` does).
    const token = readFileSync(join(stack.home, 'admin-token'), 'utf8').trim();
    const refunded = await fetch(`${stack.merchantUrl}/admin/orders/${orderId}/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '150' }),
    });
    expect(refunded.status).toBe(201);
    await orders().locator('.back-to-shop').click();
    await products().locator('.my-orders').click();
    await orders()
      .locator('.order-row')
      .first()
      .locator('.order-refund')
      .filter({ hasText: 'Refunded USD 1.50' })
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(TEST_OUTPUT, 'my-orders.png') });

    // Opening it shows the result page for that order.
    await orders().locator('.order-row').first().click();
    await result().locator('.ant-result-title').filter({ hasText: en.result.paidTitle }).waitFor({ timeout: 10_000 });
    expect(await result().locator('.ant-result-message').textContent()).toContain(orderId);
  });
});
