// Each mistake a developer must see produces its overlay over the frame, naming the file and line, and the
// same on the console.
import type { Browser, ConsoleMessage } from 'playwright-core';
import { launchChromium } from '@minipay/testing';
import { eventually, openPreview, removeFolders, writeMiniProgram } from './helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  removeFolders();
});

interface ErrorCase {
  name: string;
  files: Record<string, string>;
  code: string;
  /** What the overlay's "where" line says: code · file:line. */
  where: string;
  message: RegExp;
}

const CASES: ErrorCase[] = [
  {
    name: 'a template that does not parse',
    files: { 'pages/index/index.axml': '<view>\n  <text>unclosed\n</view>' },
    code: 'TEMPLATE_SYNTAX',
    where: 'pages/index/index.axml:2',
    message: /<text> opened at line 2 is never closed/,
  },
  {
    name: 'a closing tag that closes nothing',
    files: { 'pages/index/index.axml': '<view>x</view>\n</text>' },
    code: 'TEMPLATE_SYNTAX',
    where: 'pages/index/index.axml:2',
    message: /<\/text> closes no open <text>/,
  },
  {
    name: 'an expression the platform does not allow',
    files: { 'pages/index/index.axml': '<view>\n{{count = 1}}</view>' },
    code: 'EXPRESSION',
    where: 'pages/index/index.axml:2',
    message: /assignment is not allowed/,
  },
  {
    name: 'a call of something other than an SJS function',
    files: { 'pages/index/index.axml': '<view>{{name.toUpperCase()}}</view>' },
    code: 'EXPRESSION',
    where: 'pages/index/index.axml:1',
    message: /calling a function other than an imported SJS module's/,
  },
  {
    name: 'a handler named in a template that the page lacks',
    files: { 'pages/index/index.axml': '<view>\n\n<view class="b" onTap="onMissing">tap</view></view>' },
    code: 'MISSING_HANDLER',
    where: 'pages/index/index.axml:3',
    message: /onTap="onMissing": page pages\/index\/index has no method onMissing/,
  },
  {
    name: 'a custom tag not in usingComponents',
    files: { 'pages/index/index.axml': '<view>\n<my-card title="x"/></view>' },
    code: 'UNKNOWN_COMPONENT',
    where: 'pages/index/index.axml:2',
    message: /<my-card> is not a built-in tag and is not in usingComponents of pages\/index\/index.json/,
  },
  {
    name: 'a tag that is neither a built-in nor a component',
    files: { 'pages/index/index.axml': '<marquee>old</marquee>' },
    code: 'UNKNOWN_TAG',
    where: 'pages/index/index.axml:1',
    message: /<marquee> is not a built-in tag the preview supports/,
  },
  {
    name: 'a missing <import-sjs>, <import> or <include> file',
    files: { 'pages/index/index.axml': '<import-sjs from="./gone.sjs" name="g"/>\n<include src="./nothing.axml"/>' },
    code: 'MISSING_FILE',
    where: 'pages/index/index.axml:1',
    message: /<import-sjs from=".\/gone.sjs">: pages\/index\/gone.sjs does not exist/,
  },
  {
    name: 'a require that does not resolve',
    files: {
      'pages/index/index.axml': '<view/>',
      'pages/index/index.js': "const helper = require('../../utils/helper');\nPage({});",
    },
    code: 'REQUIRE',
    where: 'pages/index/index.js:1',
    message: /require\("..\/..\/utils\/helper"\) in pages\/index\/index.js does not resolve: no utils\/helper.js/,
  },
  {
    name: 'an exception in a lifecycle',
    files: {
      'pages/index/index.axml': '<view/>',
      'pages/index/index.js': "Page({\n  onLoad() {\n    throw new Error('the page broke');\n  },\n});",
    },
    code: 'LIFECYCLE',
    where: 'pages/index/index.js:3',
    message: /onLoad of page pages\/index\/index threw: the page broke/,
  },
  {
    name: 'a JSAPI the preview does not implement',
    files: {
      'pages/index/index.axml': '<view/>',
      'pages/index/index.js': 'Page({\n  onLoad() {\n    my.scan({});\n  },\n});',
    },
    code: 'NOT_IMPLEMENTED',
    where: 'NOT_IMPLEMENTED',
    message: /my.scan is a JSAPI the preview does not implement/,
  },
];

test.each(CASES.map((errorCase) => [errorCase.name, errorCase] as const))(
  '%s: an overlay naming the file and line, and the console',
  async (_name, errorCase) => {
    const opened = await openPreview(browser, writeMiniProgram(errorCase.files));
    const logged: string[] = [];
    const record = (message: ConsoleMessage) => {
      if (message.type() === 'error') logged.push(message.text());
    };
    opened.page.on('console', record);
    opened.worker.on('console', record);
    try {
      const item = opened.page.locator(`.preview-overlay .preview-problem[data-code="${errorCase.code}"]`).first();
      await item.waitFor();
      expect(await item.locator('.preview-problem-where').textContent()).toContain(errorCase.where);
      expect(await item.locator('.preview-problem-message').textContent()).toMatch(errorCase.message);
      const problems = await opened.problems();
      expect(problems.find((problem) => problem.code === errorCase.code)?.message).toMatch(errorCase.message);
      // Problems found at load are logged before the test listens; the reload shows them again.
      if (!logged.some((line) => errorCase.message.test(line))) {
        await opened.page.reload();
        await eventually(
          async () => logged,
          (lines) => lines.some((line) => errorCase.message.test(line)),
          'the console line',
        );
      }
    } finally {
      await opened.close();
    }
  },
);

test('the overlay can be dismissed and the page under it still works', async () => {
  const opened = await openPreview(
    browser,
    writeMiniProgram({
      'pages/index/index.axml': '<view class="n" onTap="add">{{n}}</view><view onTap="gone">x</view>',
      'pages/index/index.js': 'Page({ data: { n: 0 }, add() { this.setData({ n: this.data.n + 1 }); } });',
    }),
  );
  try {
    await opened.page.locator('.preview-overlay-close').click();
    expect(await opened.page.locator('.preview-overlay').count()).toBe(0);
    await opened.frame('pages/index/index').locator('.n').click();
    await eventually(
      () => opened.frame('pages/index/index').locator('.n').textContent(),
      (text) => text === '1',
      'the tap to count',
    );
  } finally {
    await opened.close();
  }
});

test('a launch page that is not in app.json (?page=) is an overlay naming it', async () => {
  const opened = await openPreview(browser, writeMiniProgram({ 'pages/index/index.axml': '<view/>' }), {
    page: 'pages/nowhere/index',
  });
  try {
    const item = opened.page.locator('.preview-problem[data-code="LAUNCH"]');
    await item.waitFor();
    expect(await item.locator('.preview-problem-message').textContent()).toBe(
      "the launch page pages/nowhere/index cannot open: no page pages/nowhere/index: it is not in app.json's pages or its .js did not call Page()",
    );
  } finally {
    await opened.close();
  }
});
