// `my` in the worker, against real HTTP on 127.0.0.1: my.request's options, answers and the platform's error
// codes, storage (kept across a reload, copied as JSON), system info, canIUse, the JSAPIs drawn in the frame,
// callbacks and promises both, and a JSAPI the preview lacks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@minipay/testing';
import { openPreview, removeFolders, writeMiniProgram, type Opened } from './helpers';

declare const my: any;

let browser: Browser;
let server: Server;
let base: string;
let opened: Opened;
let closedPort: number;
const received: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const path = (request.url ?? '').split('?')[0];
      if (path === '/json') {
        response.writeHead(200, { 'content-type': 'application/json', 'x-answer': 'yes' });
        response.end(JSON.stringify({ ok: true }));
      } else if (path === '/missing') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'NOT_FOUND' } }));
      } else if (path === '/not-json') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('plain words');
      } else if (path === '/slow') {
        setTimeout(() => response.end('late'), 2000);
      } else {
        response.end('');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nothing listens on: taken, then given back.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  opened = await openPreview(browser, writeMiniProgram({ 'pages/index/index.axml': '<view class="v">ready</view>' }));
});
afterAll(async () => {
  await opened?.close();
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
  removeFolders();
});

/** Calls `my[api](options)` in the worker with callbacks; resolves `{ success }` or `{ fail }`. */
function call(api: string, options: Record<string, unknown> = {}): Promise<{ success?: any; fail?: any }> {
  return opened.worker.evaluate(
    ([name, args]) =>
      new Promise((resolve) => {
        my[name]({
          ...args,
          success: (result: unknown) => resolve({ success: result }),
          fail: (error: unknown) => resolve({ fail: error }),
        });
      }),
    [api, options] as const,
  );
}

describe('my.request goes through the preview server', () => {
  test('success: { data (parsed JSON), status, headers }; headers and the method reach the server', async () => {
    const answer = await call('request', {
      url: `${base}/json`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token': 't1' },
      data: { a: 1 },
    });
    expect(answer.success).toMatchObject({
      data: { ok: true },
      status: 200,
      headers: expect.objectContaining({ 'x-answer': 'yes' }),
    });
    const seen = received[received.length - 1]!;
    expect(seen).toMatchObject({ method: 'POST', url: '/json', body: '{"a":1}' });
    expect(seen.headers['x-token']).toBe('t1');
  });

  test('data: a flat object is form-encoded for POST by default and goes in the query for GET; a string goes as it is', async () => {
    await call('request', { url: `${base}/echo`, method: 'POST', data: { a: '1 2', b: 3 } });
    expect(received[received.length - 1]).toMatchObject({ body: 'a=1%202&b=3' });
    expect(received[received.length - 1]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    await call('request', { url: `${base}/echo?x=0`, data: { q: 'tea' } });
    expect(received[received.length - 1]).toMatchObject({ method: 'GET', url: '/echo?x=0&q=tea' });
    await call('request', { url: `${base}/echo`, method: 'PUT', data: 'raw text' });
    expect(received[received.length - 1]).toMatchObject({ method: 'PUT', body: 'raw text' });
  });

  test.each([
    [
      'an HTTP error status: 19 with status, data and headers',
      () => ({ url: `${base}/missing` }),
      { error: 19, status: 404, data: { error: { code: 'NOT_FOUND' } } },
    ],
    [
      'a body that is not JSON with dataType json: 14',
      () => ({ url: `${base}/not-json`, dataType: 'json' }),
      { error: 14 },
    ],
    [
      'a refused connection: 12',
      () => ({ url: `http://127.0.0.1:${closedPort}/` }),
      { error: 12, errorMessage: expect.stringContaining('ECONNREFUSED') },
    ],
    ['a timeout: 13', () => ({ url: `${base}/slow`, timeout: 200 }), { error: 13 }],
    ['an invalid url: 2', () => ({ url: 'ftp://x' }), { error: 2 }],
  ])('%s', async (_name, options, failure) => {
    const answer = await call('request', options());
    expect(answer.success).toBeUndefined();
    expect(answer.fail).toMatchObject({ errorMessage: expect.any(String), ...failure });
  });

  test('dataType text leaves the body alone; without callbacks the JSAPI returns a promise', async () => {
    expect((await call('request', { url: `${base}/not-json`, dataType: 'text' })).success.data).toBe('plain words');
    const result = await opened.worker.evaluate((url) => my.request({ url }), `${base}/json`);
    expect(result).toMatchObject({ status: 200, data: { ok: true } });
    const rejected = await opened.worker.evaluate(
      (url) =>
        my.request({ url }).then(
          () => 'resolved',
          (error: any) => error.error,
        ),
      `${base}/missing`,
    );
    expect(rejected).toBe(19);
  });
});

describe('storage, system info, canIUse', () => {
  test('storage is synchronous, copied as JSON, and survives a reload of the preview', async () => {
    const copy = await opened.worker.evaluate(() => {
      const value = { when: new Date(0), list: [1, undefined], fn: () => 1 };
      my.setStorageSync({ key: 'k', data: value });
      value.list.push(3);
      return my.getStorageSync({ key: 'k' }).data;
    });
    expect(copy).toEqual({ when: '1970-01-01T00:00:00.000Z', list: [1, null] });
    expect((await call('getStorage', { key: 'k' })).success).toEqual({ data: copy });
    await opened.page.reload();
    opened.worker = await opened.page.waitForEvent('worker');
    await opened.frame('pages/index/index').locator('.v').waitFor();
    expect(await opened.worker.evaluate(() => my.getStorageSync({ key: 'k' }).data)).toEqual(copy);
    await opened.worker.evaluate(() => my.removeStorageSync({ key: 'k' }));
    expect(await opened.worker.evaluate(() => my.getStorageSync({ key: 'k' }).data)).toBeNull();
    expect((await call('getStorage', { key: '' })).fail).toMatchObject({ error: 2 });
  });

  test('getSystemInfoSync describes the frame; canIUse knows component2 and what is implemented', async () => {
    const info = await opened.worker.evaluate(() => my.getSystemInfoSync());
    expect(info).toMatchObject({ windowWidth: 375, screenWidth: 375, platform: 'iOS', language: expect.any(String) });
    expect(
      await opened.worker.evaluate(() => [
        my.canIUse('component2'),
        my.canIUse('request'),
        my.canIUse('scan'),
        typeof my.notAJsapi,
      ]),
    ).toEqual([true, true, false, 'undefined']);
    expect(
      await opened.worker.evaluate(() => {
        try {
          my.openLocation({});
          return 'no error';
        } catch (error: any) {
          return error.message;
        }
      }),
    ).toMatch(/^my.openLocation is a JSAPI the preview does not implement/);
  });
});

describe('JSAPIs drawn in the frame', () => {
  test('showToast, showLoading/hideLoading, alert, confirm and showActionSheet', async () => {
    const { page } = opened;
    // The overlay of the earlier test's unimplemented JSAPI covers the frame until dismissed.
    if (await page.locator('.preview-overlay').count()) await page.locator('.preview-overlay-close').click();
    const toast = call('showToast', { content: 'Saved', type: 'success', duration: 300 });
    await page.locator('.preview-toast', { hasText: 'Saved' }).waitFor();
    expect((await toast).success).toEqual({});
    expect(await page.locator('.preview-toast').count()).toBe(0);

    await call('showLoading', { content: 'Wait' });
    await page.locator('.preview-loading', { hasText: 'Wait' }).waitFor();
    await call('hideLoading');
    expect(await page.locator('.preview-loading').count()).toBe(0);

    const alert = call('alert', { title: 'Hi', content: 'There', buttonText: 'Got it' });
    await page.locator('.preview-modal button', { hasText: 'Got it' }).click();
    expect((await alert).success).toEqual({});

    const confirm = call('confirm', { title: 'Sure?', confirmButtonText: 'Yes', cancelButtonText: 'No' });
    await page.locator('.preview-modal button', { hasText: 'No' }).click();
    expect((await confirm).success).toEqual({ confirm: false });

    const sheet = call('showActionSheet', { title: 'Pick', items: ['one', 'two'] });
    await page.locator('.preview-sheet-item', { hasText: 'two' }).click();
    expect((await sheet).success).toEqual({ index: 1 });
    const dismissed = call('showActionSheet', { items: ['one'] });
    await page.locator('.preview-sheet-cancel').click();
    expect((await dismissed).success).toEqual({ index: -1 });
  });

  test("createSelectorQuery measures the current page's elements", async () => {
    const results = await opened.worker.evaluate(
      () =>
        new Promise((resolve) => {
          my.createSelectorQuery()
            .select('.v')
            .boundingClientRect()
            .select('.nothing')
            .boundingClientRect()
            .selectViewport()
            .scrollOffset()
            .exec(resolve);
        }),
    );
    const [rect, missing, viewport] = results as [any, any, any];
    expect(rect).toMatchObject({ width: 375, height: expect.any(Number), top: 0, left: 0 });
    expect(rect.height).toBeGreaterThan(0);
    expect(missing).toBeNull();
    expect(viewport).toEqual({ scrollTop: 0, scrollLeft: 0 });
  });

  test('tradePay without a paymentUrl fails naming what it needs; getAuthCode without --sandbox-url fails', async () => {
    expect((await call('tradePay', { tradeNO: '123' })).fail).toMatchObject({
      error: 2,
      errorMessage: expect.stringContaining('paymentUrl only'),
    });
    expect((await call('getAuthCode', { scopes: 'auth_base' })).fail).toMatchObject({
      error: 11,
      errorMessage: expect.stringContaining('--sandbox-url'),
    });
  });
});
