// AXML constructs, table-driven: each case is a page of one fixture mini program, rendered by the real view
// in Chromium; the page's DOM must be what the platform would draw.
import type { Browser } from 'playwright-core';
import { launchChromium } from '@minipay/testing';
import { eventually, openPreview, removeFolders, writeMiniProgram, type Opened } from './helpers';

declare const my: any;
declare const window: any;

interface Case {
  name: string;
  axml: string;
  data?: Record<string, unknown>;
  /** Extra files of the mini program. */
  files?: Record<string, string>;
  json?: Record<string, unknown>;
  html: string;
}

const LIST_COMPONENT = {
  'components/list/index.json': JSON.stringify({ component: true }),
  'components/list/index.js': "Component({ props: { items: [], title: 'untitled' } });",
  'components/list/index.axml':
    '<view class="list"><view class="head"><slot name="head">{{title}}</slot></view><view a:for="{{items}}" class="row"><slot name="row" item="{{item}}" index="{{index}}">{{item}}</slot></view><slot/><view class="empty" a:if="{{!items.length}}"><slot name="empty">nothing</slot></view></view>',
};

const CASES: Case[] = [
  {
    name: 'text bindings',
    axml: '<view>{{a}} and {{b.c}}, {{missing}}|{{n + 1}}</view>',
    data: { a: 'x', b: { c: 2 }, n: 1 },
    html: '<view>x and 2, |2</view>',
  },
  {
    name: 'attributes: a lone {{ }} keeps its value, text around it makes a string; data-* and ids',
    axml: '<view id="v{{n}}" class="base {{on ? \'on\' : \'off\'}}" data-n="{{n}}" data-order-id="o1">.</view>',
    data: { n: 3, on: true },
    html: '<view class="base on" id="v3" data-n="3" data-order-id="o1">.</view>',
  },
  {
    name: 'a:if / a:elif / a:else',
    axml: '<view a:if="{{n === 1}}">one</view><view a:elif="{{n === 2}}">two</view><view a:else>other</view><text a:if="{{false}}">never</text><text a:if="false">the string "false" is true</text>',
    data: { n: 2 },
    html: '<view>two</view><text>the string "false" is true</text>',
  },
  {
    name: 'a:for with a:for-item, a:for-index and a:key; the default item and index',
    axml: '<view a:for="{{rows}}" a:for-item="row" a:for-index="i" a:key="id">{{i}}:{{row.name}}</view><text a:for="{{[5, 6]}}">{{index}}={{item}};</text>',
    data: {
      rows: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
    },
    html: '<view>0:A</view><view>1:B</view><text>0=5;</text><text>1=6;</text>',
  },
  {
    name: 'a:for over an object and a:if inside it',
    axml: '<text a:for="{{prices}}" a:for-index="key" a:if="{{item > 1}}">{{key}}={{item}} </text>',
    data: { prices: { tea: 1, cake: 3 } },
    html: '<text>cake=3 </text>',
  },
  {
    name: '<block> renders its children only',
    axml: '<block a:if="{{ok}}"><text>a</text><text>b</text></block><block a:for="{{[1, 2]}}"><view>{{item}}</view></block>',
    data: { ok: true },
    html: '<text>a</text><text>b</text><view>1</view><view>2</view>',
  },
  {
    name: '<template name> / <template is data>, spread and shorthand data',
    axml: '<template name="card"><view class="card">{{title}}:{{count}}</view></template><template is="card" data="{{...item}}"/><template is="{{which}}" data="{{title, count: 2}}"/>',
    data: { item: { title: 'tea', count: 1 }, which: 'card', title: 'cake' },
    html: '<view class="card">tea:1</view><view class="card">cake:2</view>',
  },
  {
    name: "<import src> makes another file's templates usable (not transitively)",
    axml: '<import src="/templates/cards.axml"/><template is="price" data="{{value: 5}}"/>',
    files: { 'templates/cards.axml': '<template name="price"><text class="price">${{value}}</text></template>' },
    html: '<text class="price">$5</text>',
  },
  {
    name: '<include src> copies another file in place',
    axml: '<include src="./header.axml"/><view>body</view>',
    files: { 'pages/include/header.axml': '<view class="header">{{title}}</view>' },
    data: { title: 'Hello' },
    html: '<view class="header">Hello</view><view>body</view>',
  },
  {
    name: '<import-sjs>: SJS modules (ES-module syntax) called in expressions',
    axml: '<import-sjs from="./fmt.sjs" name="fmt"/><view>{{fmt.upper(name)}} {{fmt.twice(2)}}</view>',
    files: {
      'pages/sjs/fmt.sjs':
        "import util from './util.sjs';\nfunction upper(text) { return text.toUpperCase(); }\nexport default { upper: upper, twice: util.twice };",
      'pages/sjs/util.sjs': 'export default { twice: function (n) { return n * 2; } };',
    },
    data: { name: 'tea' },
    html: '<view>TEA 4</view>',
  },
  {
    name: 'slots: default, named, fallback and slot-scope; custom components have no host element',
    axml: '<my-list items="{{items}}"><text slot="head">Menu</text><view slot="row" slot-scope="s">{{s.index}}-{{s.item}}</view><text>after</text></my-list><my-list items="{{[]}}"/>',
    json: { usingComponents: { 'my-list': '/components/list/index' } },
    files: LIST_COMPONENT,
    data: { items: ['tea', 'cake'] },
    html:
      '<view class="list"><view class="head"><text>Menu</text></view><view class="row"><view>0-tea</view></view><view class="row"><view>1-cake</view></view><text>after</text></view>' +
      '<view class="list"><view class="head">untitled</view><view class="empty">nothing</view></view>',
  },
  {
    name: 'style with rpx (750rpx = the 375px device) and class bindings, hidden',
    axml: '<view style="width: {{w}}rpx; height: 20px" class="{{cls}}" hidden="{{hide}}">x</view><view hidden="{{false}}">shown</view>',
    data: { w: 100, cls: 'box', hide: true },
    html: '<view class="box" style="width: 50px; height: 20px" hidden="">x</view><view>shown</view>',
  },
  {
    name: 'image with mode, text, button type and disabled',
    axml: '<image src="/img/a.png" mode="aspectFit" class="pic"/><button type="primary" disabled="{{true}}">Pay</button>',
    html: '<image class="pic" data-mode="aspectFit"><img src="/__app/img/a.png" style="object-fit: contain; object-position: center center;"></image><button data-type="primary" disabled="" type="button">Pay</button>',
  },
  {
    name: 'literals, arrays and objects in expressions',
    axml: "<view>{{[a, ...rest].join === undefined ? 'no calls on data' : ''}}{{ {x: 1}.x }}{{'q' + \"w\"}}{{typeof a}}{{!a}}{{a ?? 'n'}}</view>",
    data: { a: 1, rest: [2] },
    html: '<view>1qwnumberfalse1</view>',
  },
];

let browser: Browser;
let dir: string;
let opened: Opened;
beforeAll(async () => {
  browser = await launchChromium();
  const files: Record<string, string> = {};
  const routes: string[] = [];
  CASES.forEach((testCase, index) => {
    const route = testCase.name.startsWith('<include')
      ? 'pages/include/index'
      : testCase.name.startsWith('<import-sjs')
        ? 'pages/sjs/index'
        : `pages/case${index}/index`;
    routes.push(route);
    files[`${route}.axml`] = testCase.axml;
    files[`${route}.js`] = `Page({ data: ${JSON.stringify(testCase.data ?? {})} });`;
    files[`${route}.json`] = JSON.stringify(testCase.json ?? {});
    Object.assign(files, testCase.files ?? {});
  });
  files['app.json'] = JSON.stringify({ pages: routes });
  dir = writeMiniProgram(files);
  (CASES as Array<Case & { route?: string }>).forEach(
    (testCase, index) => ((testCase as { route?: string }).route = routes[index]),
  );
  opened = await openPreview(browser, dir);
});
afterAll(async () => {
  await opened?.close();
  await browser?.close();
  removeFolders();
});

test.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
  const route = (testCase as Case & { route: string }).route;
  // One preview for every case: reLaunch opens the case's page alone, as the platform would.
  await opened.worker.evaluate((url) => my.reLaunch({ url }), `/${route}`);
  await eventually(
    () => opened.page.evaluate(() => window.__minipayPreview.state() as { routes: string[]; drawn: string[] }),
    (state) => state.routes.join() === route && state.drawn.includes(route),
    `${route} drawn`,
  );
  const html = await opened
    .frame(route)
    .locator('page')
    .evaluate((root: any) => root.innerHTML);
  expect(html).toBe(testCase.html);
  expect((await opened.problems()).filter((problem) => problem.level !== 'warning')).toEqual([]);
});
