// The dashboard's request-log section in headless Chromium: the calls appear newest first with their verdict and
// diagnosis, the filters narrow them, and "Copy content string" puts exactly what the signature covers on the
// clipboard.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signRequest } from '@minipay/openapi';
import { launchChromium } from '@minipay/testing';
import { call, json, payRequest, postRaw, startTestSandbox, type TestSandbox } from './helpers';

// The callbacks passed to page.evaluate/waitForFunction run in the browser; the package compiles without the DOM lib.
declare const document: any;
declare const navigator: any;

let t: TestSandbox;
let browser: Browser;
let context: BrowserContext;
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
  await json(t, 'DELETE', '/sandbox/requests');
  context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.sandbox.url });
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
});

const PAY = '/api/open/v2/payments/pay';

/** One accepted pay, then one signed without the /api/open prefix (refused). */
async function twoCalls(): Promise<{ refusedBody: string; refusedTime: string }> {
  await call(t, '/v2/payments/pay', payRequest());
  const raw = JSON.stringify(payRequest());
  const headers = signRequest({
    path: '/v2/payments/pay',
    clientId: t.home.clientId,
    body: raw,
    privateKey: t.home.merchantPrivateKey,
  });
  const refused = await postRaw(t, PAY, raw, headers);
  expect(refused.body.result.resultCode).toBe('INVALID_SIGNATURE');
  return { refusedBody: raw, refusedTime: headers['Request-Time']! };
}

const rowTexts = (selector: string) =>
  page.$$eval(`#requests tbody tr[data-request-id] ${selector}`, (cells: any[]) =>
    cells.map((cell) => cell.textContent),
  );

test('lists the calls newest first, with verdict, result and the diagnosis of the refused one', async () => {
  await twoCalls();
  await page.goto(`${t.sandbox.url}/`);
  await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr[data-request-id]').length === 2);
  expect(await rowTexts('.verdict')).toEqual(['refused', 'verified']);
  expect(await rowTexts('.result')).toEqual(['F INVALID_SIGNATURE', 'A ACCEPT']);
  const refused = page.locator('#requests tbody tr.verdict-refused');
  expect(await refused.locator('summary').textContent()).toMatch(
    /signed over \/v2\/payments\/pay, without the prefix \/api\/open/,
  );
  await refused.locator('summary').click();
  expect(await refused.locator('pre.diagnosis').textContent()).toContain('cause:        PATH_PREFIX_MISSING');
  expect(await page.isHidden('#requests tr.empty')).toBe(true);
});

test('"Copy content string" copies exactly what the signature covers', async () => {
  const { refusedBody, refusedTime } = await twoCalls();
  await page.goto(`${t.sandbox.url}/`);
  const refused = page.locator('#requests tbody tr.verdict-refused');
  await refused.waitFor();
  await refused.locator('summary').click();
  await refused.locator('button[data-action=copy]').click();
  await refused.locator('.copied', { hasText: 'Copied' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`POST ${PAY}\n${t.home.clientId}.${refusedTime}.${refusedBody}`);
});

test('the filters narrow the list: verdict, then path', async () => {
  await twoCalls();
  await call(t, '/v2/payments/inquiryPayment', { paymentId: 'nope' });
  await page.goto(`${t.sandbox.url}/`);
  await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr[data-request-id]').length === 3);
  await page.selectOption('#request-filters select[name=verdict]', 'verified');
  await page.click('#request-filters button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr[data-request-id]').length === 2);
  expect(await rowTexts('.verdict')).toEqual(['verified', 'verified']);
  await page.fill('#request-filters input[name=path]', 'inquiryPayment');
  await page.click('#request-filters button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr[data-request-id]').length === 1);
  expect(await page.textContent('#requests tbody tr[data-request-id] td:nth-child(2)')).toBe(
    'POST /api/open/v2/payments/inquiryPayment',
  );
});

test('new calls appear on top without a reload', async () => {
  await page.goto(`${t.sandbox.url}/`);
  await page.waitForFunction(() => document.getElementById('requests-status').textContent.startsWith('0 shown'));
  await call(t, '/v2/payments/inquiryPayment', { paymentId: 'later' });
  await page.waitForFunction(
    () => document.querySelectorAll('#requests tbody tr[data-request-id]').length === 1,
    undefined,
    { timeout: 10_000 },
  );
  expect(await rowTexts('.result')).toEqual(['F ORDER_NOT_EXIST']);
});
