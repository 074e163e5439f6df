// The runtime in Chromium on fixture mini programs: component2 lifecycle order, function props, ref,
// mixins, events (bubbling, catch, the event object), setData path keys and what setData may carry, and the
// page stack with its lifecycles and title bar.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@minipay/testing';
import { eventually, openPreview, removeFolders, writeMiniProgram, type Opened } from './helpers';

declare const getApp: any;
declare const getCurrentPages: any;
declare const my: any;
declare const window: any;

const LIFECYCLE = join(__dirname, 'fixtures', 'lifecycle');

let browser: Browser;
let opened: Opened | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});
afterAll(async () => {
  await browser?.close();
  removeFolders();
});

const log = (o: Opened) => o.worker.evaluate(() => getApp().log as string[]);
const logUntil = (o: Opened, entry: string) =>
  eventually(
    () => log(o),
    (entries) => entries.includes(entry),
    `log entry "${entry}"`,
  );
// The page stack as the view holds it. A log entry is the worker's, and the view gets the worker's page
// operations a message later: wait for the stack instead of reading it once.
const routesUntil = (o: Opened, routes: string[]) =>
  eventually(
    () => o.routes(),
    (now) => now.join() === routes.join(),
    `the page stack ${routes.join(', ')}`,
  );

describe("component2 lifecycles, in the platform's order", () => {
  test('launch: app, page, then each component onInit → deriveDataFromProps → didMount (inside out), ref, onReady', async () => {
    opened = await openPreview(browser, LIFECYCLE, { query: 'from=test' });
    expect(await logUntil(opened, 'page onReady')).toEqual([
      'app onLaunch pages/index/index',
      'app onShow',
      'page onLoad {"from":"test"}',
      'page onShow',
      'parent mixin onInit',
      'parent onInit a mixin method',
      'parent deriveDataFromProps a (was a)',
      'child onInit',
      'child deriveDataFromProps a!',
      'child didMount',
      'parent didMount pages/index/index',
      'page ref components/parent/index',
      'page onReady',
    ]);
    expect(await opened.frame('pages/index/index').locator('.parent').textContent()).toBe('aa!');
  });

  test('new props: deriveDataFromProps(nextProps) before the render, didUpdate(prevProps, prevData) after; removal: didUnmount', async () => {
    opened = await openPreview(browser, LIFECYCLE);
    await logUntil(opened, 'page onReady');
    await opened.worker.evaluate(() => {
      getApp().log.length = 0;
      getCurrentPages()[0].setData({ label: 'b' });
    });
    await logUntil(opened, 'parent didUpdate a→b own 1→1');
    await logUntil(opened, 'child didUpdate a!→b!');
    const entries = await log(opened);
    expect(entries.indexOf('parent deriveDataFromProps b (was a)')).toBeLessThan(
      entries.indexOf('parent didUpdate a→b own 1→1'),
    );
    expect(entries.indexOf('child deriveDataFromProps b!')).toBeLessThan(entries.indexOf('child didUpdate a!→b!'));
    expect(await opened.frame('pages/index/index').locator('.child').textContent()).toBe('b!');

    await opened.worker.evaluate(() => {
      getApp().log.length = 0;
      getCurrentPages()[0].setData({ show: false });
    });
    await logUntil(opened, 'child didUnmount');
    expect(await log(opened)).toEqual(['parent didUnmount', 'child didUnmount']);
    expect(await opened.frame('pages/index/index').locator('.parent').count()).toBe(0);
  });

  test("a function prop calls the owner's method: child tap → parent onChildTap → page onPing; the tap bubbles to the page", async () => {
    opened = await openPreview(browser, LIFECYCLE);
    await logUntil(opened, 'page onReady');
    await opened.frame('pages/index/index').locator('.child').click();
    await logUntil(opened, 'page onPing a!');
    await logUntil(opened, 'page onOuterTap from view');
  });

  test('catchTap stops the bubbling; the event has type, target, currentTarget with the dataset, and detail', async () => {
    opened = await openPreview(browser, LIFECYCLE);
    await logUntil(opened, 'page onReady');
    await opened.worker.evaluate(() => (getApp().log.length = 0));
    await opened.frame('pages/index/index').locator('.inner').click();
    await logUntil(opened, 'page onCaught');
    const event = await opened.worker.evaluate(() => getApp().lastEvent);
    expect(event).toMatchObject({
      type: 'tap',
      target: { tagName: 'text', dataset: {} },
      currentTarget: { id: 'caught', tagName: 'view', dataset: { orderId: 'o1' } },
      detail: { pageX: expect.any(Number), pageY: expect.any(Number) },
    });
    expect(event.timeStamp).toEqual(expect.any(Number));
    expect(await log(opened)).not.toContain('page onOuterTap from text');
  });
});

describe('setData', () => {
  const dir = () =>
    writeMiniProgram({
      'pages/index/index.axml':
        '<view class="deep">{{a.b[2].c}}</view><view class="list">{{list[1]}}</view><view class="when">{{when}}</view><view class="arr">{{arr}}</view><view class="fn">{{typeof fn}}</view><view class="cyc">{{cyc ? "sent" : "not sent"}}</view>',
      'pages/index/index.js': `Page({
        data: { a: { b: [1, 2, { c: 'x' }] }, list: ['first'] },
        run() {
          const cycle = { name: 'loop' };
          cycle.self = cycle;
          this.setData({ 'a.b[2].c': 'y', 'list[1]': 'second', fn: () => 1, arr: [1, undefined, () => 2], when: new Date(0), cyc: cycle }, () => {
            getApp().done = { deep: this.data.a.b[2].c, list: this.data.list, fnKept: typeof this.data.fn };
          });
        },
      });`,
    });

  test('path keys set deep values; what the platform cannot send is dropped or changed as JSON does, with a warning naming the page and key', async () => {
    opened = await openPreview(browser, dir());
    await opened.page.evaluate(() => window.__minipayPreview.firstPaint);
    await opened.worker.evaluate(() => getCurrentPages()[0].run());
    const done = await eventually(
      () => opened!.worker.evaluate(() => getApp().done),
      (value) => !!value,
      'the setData callback',
    );
    // The logic side keeps what it was given; the view gets the JSON-faithful copy.
    expect(done).toEqual({ deep: 'y', list: ['first', 'second'], fnKept: 'function' });
    const page = opened.frame('pages/index/index');
    expect(await page.locator('.deep').textContent()).toBe('y');
    expect(await page.locator('.list').textContent()).toBe('second');
    expect(await page.locator('.when').textContent()).toBe('1970-01-01T00:00:00.000Z');
    expect(await page.locator('.arr').textContent()).toBe('[1,null,null]');
    expect(await page.locator('.fn').textContent()).toBe('undefined');
    expect(await page.locator('.cyc').textContent()).toBe('not sent');
    const problems = await opened.problems();
    const messages = problems.map((problem) => `${problem.level ?? 'error'} ${problem.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'warning setData on page pages/index/index: fn is a function (dropped); the view never sees it',
        'warning setData on page pages/index/index: arr[1] is undefined in an array (sent as null); the view never sees it',
        'warning setData on page pages/index/index: arr[2] is a function in an array (sent as null); the view never sees it',
        'warning setData on page pages/index/index: when is a Date (sent as its ISO string); the view never sees it',
        'error setData on page pages/index/index: cyc has a cycle at cyc.self; the platform cannot send it to the view, so cyc was not set there',
      ]),
    );
    expect(problems.every((problem) => problem.file === 'pages/index/index.js')).toBe(true);
  });

  test('a bad path key is an error naming it; the other keys still apply', async () => {
    opened = await openPreview(
      browser,
      writeMiniProgram({
        'pages/index/index.axml': '<view class="v">{{v}}</view>',
        'pages/index/index.js':
          "Page({ data: { v: 1 }, onLoad() { setTimeout(() => this.setData({ 'a..b': 1, v: 2 }), 0); } });",
      }),
    );
    await eventually(
      () => opened!.frame('pages/index/index').locator('.v').textContent(),
      (text) => text === '2',
      'v = 2',
    );
    const problems = await eventually(
      () => opened!.problems(),
      (list) => list.length > 0,
      'a problem',
    );
    expect(problems[0]).toMatchObject({
      code: 'SET_DATA',
      message: expect.stringContaining('"a..b" is not a valid path'),
    });
  });
});

describe('styles', () => {
  test("app.acss applies to every page, a page's own styles only to that page (each has its own document), rpx at the width", async () => {
    opened = await openPreview(
      browser,
      writeMiniProgram({
        'app.json': JSON.stringify({ pages: ['pages/a/index', 'pages/b/index'] }),
        'app.acss': '.box { width: 375rpx; }',
        'pages/a/index.axml': '<view class="box">a</view>',
        'pages/a/index.acss': '.box { color: rgb(255, 0, 0); }',
        'pages/b/index.axml': '<view class="box">b</view>',
      }),
      { preview: { width: 414 } },
    );
    await opened.page.evaluate(() => window.__minipayPreview.firstPaint);
    const style = (route: string) =>
      opened!
        .frame(route)
        .locator('.box')
        .evaluate((element: any) => {
          const computed = element.ownerDocument.defaultView.getComputedStyle(element);
          return { width: computed.width, color: computed.color };
        });
    expect(await style('pages/a/index')).toEqual({ width: '207px', color: 'rgb(255, 0, 0)' });
    await opened.worker.evaluate(() => my.navigateTo({ url: '/pages/b/index' }));
    await opened.frame('pages/b/index').locator('.box').waitFor();
    expect(await style('pages/b/index')).toEqual({ width: '207px', color: 'rgb(0, 0, 0)' });
  });
});

describe('the page stack', () => {
  test('navigateTo with a query, the title bar and back arrow, navigateBack; redirectTo and reLaunch unload', async () => {
    opened = await openPreview(browser, LIFECYCLE);
    await logUntil(opened, 'page onReady');
    const title = () => opened!.page.locator('.preview-title').textContent();
    expect(await title()).toBe('First');
    expect(await opened.page.locator('.preview-back').isVisible()).toBe(false);

    await opened.worker.evaluate(() => my.navigateTo({ url: '../second/index?id=7&name=a%20b' }));
    await logUntil(opened, 'second onLoad {"id":"7","name":"a b"}');
    await logUntil(opened, 'page onHide');
    expect(await opened.frame('pages/second/index').locator('.second').textContent()).toBe('{"id":"7","name":"a b"}');
    await eventually(title, (text) => text === 'Second', 'the second title');
    expect(await opened.routes()).toEqual(['pages/index/index', 'pages/second/index']);
    await opened.worker.evaluate(() => my.setNavigationBar({ title: 'Renamed' }));
    await eventually(title, (text) => text === 'Renamed', 'the new title');

    await opened.worker.evaluate(() => (getApp().log.length = 0));
    await opened.page.locator('.preview-back').click();
    await logUntil(opened, 'second onUnload');
    await logUntil(opened, 'page onShow');
    await routesUntil(opened, ['pages/index/index']);
    await eventually(title, (text) => text === 'First', 'the first title again');

    await opened.worker.evaluate(() => my.redirectTo({ url: '/pages/second/index' }));
    await logUntil(opened, 'page onUnload');
    await routesUntil(opened, ['pages/second/index']);
    await opened.worker.evaluate(() => my.reLaunch({ url: '/pages/index/index?again=1' }));
    await logUntil(opened, 'page onLoad {"again":"1"}');
    await routesUntil(opened, ['pages/index/index']);
    const failure = await opened.worker.evaluate(() =>
      my.navigateTo({ url: '/pages/nowhere/index' }).catch((error: unknown) => error),
    );
    expect(failure).toMatchObject({
      error: expect.any(Number),
      errorMessage: expect.stringContaining('no page pages/nowhere/index'),
    });
  });
});
