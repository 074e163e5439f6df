// The cashier and the dashboard in headless Chromium (playwright-core, the system browser; never downloaded).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@minipay/testing';
import { OUTCOMES } from '../src';
import { call, json, payRequest, startReceiver, startTestSandbox, type TestSandbox } from './helpers';

// The callbacks passed to page.evaluate/waitForFunction run in the browser; the package compiles without the DOM lib.
declare const document: any;
declare const window: any;

let t: TestSandbox;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  t = await startTestSandbox();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page.close();
});

async function newPayment(overrides = {}) {
  const answer = await call(t, '/v2/payments/pay', payRequest(overrides));
  return {
    paymentId: answer.body.paymentId as string,
    cashierUrl: answer.body.redirectActionForm.redirectionUrl as string,
  };
}

describe('the cashier', () => {
  test('shows merchant, order and amount, one button per outcome in order; a click shows resultCode and status', async () => {
    const { paymentId, cashierUrl } = await newPayment({
      paymentAmount: { currency: 'USD', value: '123456' },
      order: {
        referenceOrderId: 'order-42',
        orderDescription: 'A big order',
        orderAmount: { currency: 'USD', value: '123456' },
        merchant: { merchantName: 'Test Coffee' },
      },
    });
    await page.goto(cashierUrl);
    expect(await page.textContent('#merchant')).toBe('Test Coffee');
    expect(await page.textContent('#amount')).toBe('1,234.56 USD');
    expect(await page.textContent('#description')).toBe('A big order');
    expect(await page.textContent('#order-id')).toBe('order-42');
    expect(await page.locator('#outcomes button').allTextContents()).toEqual(OUTCOMES.map((o) => o.label));
    expect(await page.textContent('#payment-status')).toBe('PROCESSING');

    await page.click('button[data-outcome="fail"]');
    await page.waitForSelector('#result-code');
    expect(await page.textContent('#result-code')).toBe('4000');
    expect(await page.textContent('#result-status')).toBe('FAIL');
    expect(await page.textContent('#payment-status')).toBe('FAIL');
    expect(await page.isHidden('#outcomes')).toBe(true);
    expect((await json(t, 'GET', `/sandbox/payments/${paymentId}`)).body.status).toBe('FAIL');

    await page.reload();
    expect(await page.locator('#outcomes').count()).toBe(0);
    expect(await page.textContent('#result-code')).toBe('4000');
  });

  test('amounts follow the currency exponent (JPY has no decimals)', async () => {
    const { cashierUrl } = await newPayment({
      paymentAmount: { currency: 'JPY', value: '1500' },
      order: { referenceOrderId: 'o', orderDescription: 'Ramen', orderAmount: { currency: 'JPY', value: '1500' } },
    });
    await page.goto(cashierUrl);
    expect(await page.textContent('#amount')).toBe('1,500 JPY');
  });

  test('everything from the merchant is escaped: markup in the order shows as text and no script runs', async () => {
    const evil = `<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>"'&`;
    const { cashierUrl } = await newPayment({
      order: {
        referenceOrderId: `r"><b>x`,
        orderDescription: evil,
        orderAmount: { currency: 'USD', value: '1' },
        merchant: { merchantName: '<i>Evil</i>' },
      },
    });
    const html = await (await fetch(cashierUrl)).text();
    expect(html).not.toContain('<script>window');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;');
    await page.goto(cashierUrl);
    expect(await page.textContent('#description')).toBe(evil);
    expect(await page.textContent('#merchant')).toBe('<i>Evil</i>');
    expect(await page.evaluate(() => window.pwned)).toBeUndefined();
  });

  test('without the script the form still works (POST /cashier/:id renders the result)', async () => {
    const { paymentId } = await newPayment();
    const response = await fetch(`${t.sandbox.url}/cashier/${paymentId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=cancel',
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<strong id="result-code">6001</strong>');
    expect(html).toContain('<strong id="result-status">CANCELLED</strong>');
  });

  test('embedded in another page (a wallet sheet, the preview), a click tells the parent the resultCode; the dashboard refuses to be framed', async () => {
    const { paymentId, cashierUrl } = await newPayment();
    // The embedding page comes from another origin, as the preview's does.
    const parent = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        `<!doctype html><script>window.heard = []; addEventListener('message', (e) => heard.push({ origin: e.origin, data: e.data }));</script><iframe id="cashier" src="${cashierUrl}"></iframe><iframe id="dashboard" src="${t.sandbox.url}/"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => parent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = parent.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/`);
      const cashier = page.frameLocator('#cashier');
      await cashier.locator('button[data-outcome="processing"]').click();
      await page.waitForFunction(() => window.heard.length > 0);
      expect(await page.evaluate(() => window.heard)).toEqual([
        {
          origin: new URL(cashierUrl).origin,
          data: { type: 'minipay:cashier-result', paymentId, resultCode: '8000', paymentStatus: 'SUCCESS' },
        },
      ]);
      const dashboard = await fetch(`${t.sandbox.url}/`);
      expect(dashboard.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect((await fetch(cashierUrl)).headers.get('content-security-policy')).toContain('frame-ancestors *');
    } finally {
      await new Promise((resolve) => parent.close(resolve));
    }
  });

  test('an unknown payment is a 404 page that says state is in memory', async () => {
    const response = await page.goto(`${t.sandbox.url}/cashier/nope`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('body')).toContain('in memory');
  });
});

describe('the dashboard', () => {
  test('says state is in memory, and lists new payments and their changes by itself', async () => {
    const receiver = await startReceiver(t.home);
    try {
      await page.goto(`${t.sandbox.url}/`);
      expect(await page.textContent('#memory-note')).toContain('State is in memory');
      expect(await page.textContent('#client-id')).toBe(t.home.clientId);

      // Created after the page loaded: the page must pick it up on its own.
      const { paymentId } = await newPayment({ notifyUrl: receiver.url });
      const row = page.locator(`tr[data-payment-id="${paymentId}"]`);
      await row.waitFor();
      expect(await row.locator('.status').textContent()).toBe('PROCESSING');
      expect(await row.textContent()).toContain('12.50 USD');

      await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });
      await t.sandbox.whenIdle();
      await page.waitForFunction(
        (id) => document.querySelector(`tr[data-payment-id="${id}"] .status`)?.textContent === 'SUCCESS',
        paymentId,
      );
      await row.locator('li.attempt-acknowledged').waitFor();
      expect(await row.locator('.notification-state').textContent()).toBe('delivered');
      expect(await row.locator('.refunded').textContent()).toBe('none');

      // Refunds show per payment: how much of it, and each refund with its ids and reason.
      await call(t, '/v2/payments/refund', {
        refundRequestId: `rf-page-${paymentId}`,
        paymentId,
        refundAmount: { currency: 'USD', value: '250' },
        refundReason: 'a cup was cold',
      });
      await page.waitForFunction(
        (id) => document.querySelector(`tr[data-payment-id="${id}"] .refunded`)?.textContent !== 'none',
        paymentId,
      );
      expect(await row.locator('.refunded').textContent()).toBe('refunded 2.50 USD of 12.50 USD');
      expect(await row.locator('li.refund').textContent()).toMatch(
        new RegExp(`2\\.50 USD SBXREF\\w+ \\(request rf-page-${paymentId}\\): a cup was cold`),
      );

      // Newest first.
      const second = await newPayment();
      await page.locator(`tr[data-payment-id="${second.paymentId}"]`).waitFor();
      const order = await page
        .locator('#payments tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-payment-id')));
      expect(order.indexOf(second.paymentId)).toBeLessThan(order.indexOf(paymentId));
    } finally {
      await receiver.close();
    }
  });

  test('fits a 1024 px wide window: every column, the actions included, is on screen without scrolling', async () => {
    const receiver = await startReceiver(t.home);
    try {
      // A failed payment has the longest status (USER_BALANCE_NOT_ENOUGH), which once pushed the actions off screen.
      const { paymentId } = await newPayment({ notifyUrl: receiver.url });
      await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'fail' });
      await t.sandbox.whenIdle();
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.goto(`${t.sandbox.url}/`);
      const row = page.locator(`tr[data-payment-id="${paymentId}"]`);
      await row.locator('li.attempt-acknowledged').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(1024);
      for (const control of ['select[data-role="outcome"]', 'button[data-action="force"]', 'button']) {
        const box = await row.locator(control).first().boundingBox();
        expect([control, box!.x + box!.width <= 1024]).toEqual([control, true]);
      }
    } finally {
      await receiver.close();
    }
  });

  test('has a favicon (the page links it, and /favicon.ico answers it), so the browser asks for no missing file', async () => {
    await page.goto(`${t.sandbox.url}/`);
    const href = await page.getAttribute('link[rel="icon"]', 'href');
    expect(href).toBe('/assets/favicon.svg');
    for (const path of [href!, '/favicon.ico']) {
      const answer = await fetch(`${t.sandbox.url}${path}`);
      expect([path, answer.status, answer.headers.get('content-type')]).toEqual([path, 200, 'image/svg+xml']);
      expect(await answer.text()).toMatch(/^<svg /);
    }
  });

  test('force outcome, resend and set faults from the page', async () => {
    const receiver = await startReceiver(t.home);
    try {
      const { paymentId } = await newPayment({ notifyUrl: receiver.url });
      await page.goto(`${t.sandbox.url}/`);
      const row = page.locator(`tr[data-payment-id="${paymentId}"]`);
      await row.waitFor();

      await row.locator('select[data-role="outcome"]').selectOption('network-error');
      await row.locator('button[data-action="force"]').click();
      await page.waitForFunction(
        (id) => document.querySelector(`tr[data-payment-id="${id}"] .status`)?.textContent === 'SUCCESS',
        paymentId,
      );
      await t.sandbox.whenIdle();
      expect((await json(t, 'GET', `/sandbox/payments/${paymentId}`)).body.resultCode).toBe('6002');
      expect(receiver.received).toHaveLength(1);

      await page.locator(`tr[data-payment-id="${paymentId}"] button[data-action="resend"]`).click();
      await page.waitForFunction(
        (id) => document.querySelectorAll(`tr[data-payment-id="${id}"] li.attempt-acknowledged`).length === 2,
        paymentId,
      );
      expect(receiver.received).toHaveLength(2);

      await page.locator(`tr[data-payment-id="${paymentId}"] button[data-action="faults"]`).click();
      expect(await page.inputValue('#payment-faults input[name=paymentId]')).toBe(paymentId);
      await page.fill('#payment-faults input[name=duplicate]', '2');
      await page.check('#payment-faults input[name=badSignature]');
      await page.selectOption('#payment-faults select[name=refundResult]', 'U');
      await page.click('#payment-faults button[type=submit]');
      await page.waitForFunction(() => document.getElementById('message')?.textContent?.startsWith('Faults set'));
      const faults = (await json(t, 'GET', '/sandbox/faults')).body;
      expect(faults.payments[paymentId]).toMatchObject({
        duplicate: 2,
        badSignature: true,
        neverSend: false,
        refundResult: 'U',
      });

      await page.fill('#global-faults input[name=delaySeconds]', '3');
      await page.click('#global-faults button[type=submit]');
      await page.waitForFunction(() =>
        document.getElementById('active-faults')?.textContent?.includes('global: delaySeconds=3'),
      );
      await page.click('#clear-faults');
      await page.waitForFunction(() => document.getElementById('active-faults')?.textContent === 'none');
      expect((await json(t, 'GET', '/sandbox/faults')).body).toEqual({ global: {}, payments: {} });
    } finally {
      await receiver.close();
    }
  });
});
