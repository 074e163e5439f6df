// The server's side: AXML parsing (case-sensitive, self-closing tags, line numbers), ACSS (rpx, @import),
// SJS (ES-module syntax to the view's module form), and a mini program folder to one bundle.
import { compileAcss, rpxToPx } from '../src/acss';
import { compileApp } from '../src/app-compiler';
import { compileTemplate } from '../src/axml-compiler';
import { transformSjs } from '../src/sjs';
import { removeFolders, writeMiniProgram } from './helpers';

afterAll(() => removeFolders());

const files = (map: Record<string, string>) => (path: string) => map[path];

describe('AXML', () => {
  test('attribute names keep their case: onTap is an event, ontap is an attribute', () => {
    const result = compileTemplate('a.axml', {
      read: files({ 'a.axml': '<view onTap="go" ontap="x" catchLongTap="hold"/>' }),
      components: {},
      jsonPath: 'a.json',
    });
    const node = result.files['a.axml']?.nodes[0] as any;
    expect(node.events).toEqual([
      { event: 'tap', catch: false, handler: { k: 'static', v: 'go' } },
      { event: 'longTap', catch: true, handler: { k: 'static', v: 'hold' } },
    ]);
    expect(node.attrs).toEqual([{ name: 'ontap', value: { k: 'static', v: 'x' } }]);
    expect(result.problems).toEqual([]);
  });

  test('on a custom component, on* attributes are props (function props), not events', () => {
    const result = compileTemplate('a.axml', {
      read: files({ 'a.axml': '<my-x onChange="save" data-id="{{id}}"></my-x>' }),
      components: { 'my-x': 'c/x/index' },
      jsonPath: 'a.json',
    });
    const node = result.files['a.axml']?.nodes[0] as any;
    expect(node).toMatchObject({
      tag: 'my-x',
      component: 'c/x/index',
      events: [],
      attrs: [{ name: 'onChange' }, { name: 'data-id' }],
    });
  });

  test('problems carry file and line', () => {
    const source =
      '<view>\n  <view a:elif="{{x}}"/>\n  <view a:bogus="1"/>\n  <template name="t"><view/></template>\n</view>\n<template/>';
    const result = compileTemplate('p.axml', { read: files({ 'p.axml': source }), components: {}, jsonPath: 'p.json' });
    expect(result.problems.map((problem) => `${problem.line} ${problem.message}`)).toEqual([
      '2 a:elif on <view> does not follow an a:if',
      '3 unknown directive a:bogus on <view>',
      '4 <template name="t"> must be at the top level of the file',
      '6 <template> needs name (a definition) or is (a use)',
    ]);
  });

  test('<include> of itself is refused; <import> is kept as a reference', () => {
    const result = compileTemplate('p.axml', {
      read: files({
        'p.axml': '<include src="./p.axml"/><import src="./t"/>',
        't.axml': '<template name="x"><view/></template>',
      }),
      components: {},
      jsonPath: 'p.json',
    });
    expect(result.problems.map((problem) => problem.message)).toEqual(['<include src="./p.axml"> includes itself']);
    expect(result.files['p.axml']?.imports).toEqual(['t.axml']);
    expect(Object.keys(result.files['t.axml']?.templates ?? {})).toEqual(['x']);
  });
});

describe('ACSS', () => {
  test('rpx at the device width: 750rpx is the width', () => {
    expect(rpxToPx('.a { width: 750rpx; margin: -24rpx 0 .5rpx; }', 375)).toBe(
      '.a { width: 375px; margin: -12px 0 0.25px; }',
    );
    expect(rpxToPx('.a { width: 100rpx }', 414)).toBe('.a { width: 55.2px }');
    expect(rpxToPx('.icon-2rpx { content: "x" }', 375)).toBe('.icon-2rpx { content: "x" }');
  });

  test('@import is inlined relative to the importing file; a missing one is a problem with its line', () => {
    const problems: any[] = [];
    const css = compileAcss(
      'pages/a/index.acss',
      files({
        'pages/a/index.acss': "@import '../../common.acss';\n@import './gone.acss';\n.a { width: 10rpx }",
        'common.acss': '.c { color: red }',
      }),
      375,
      problems,
    );
    expect(css).toContain('.c { color: red }');
    expect(css).toContain('.a { width: 5px }');
    expect(problems).toEqual([
      {
        code: 'MISSING_FILE',
        file: 'pages/a/index.acss',
        line: 2,
        message: "@import './gone.acss' in pages/a/index.acss: pages/a/gone.acss does not exist",
      },
    ]);
  });
});

describe('SJS', () => {
  test('export default and import become module.exports and require, on the same lines', () => {
    const result = transformSjs(
      'a/b.sjs',
      "import util from '../u.sjs';\nimport { x } from './x.sjs';\nexport default { f: util.f, x };\nexport function g() {}",
      () => true,
    );
    expect(result.problems).toEqual([]);
    expect(result.imports).toEqual(['u.sjs', 'a/x.sjs']);
    expect(result.code.split('\n')).toEqual([
      'var util = require("u.sjs");',
      'var x = require("a/x.sjs")["x"];',
      'module.exports = { f: util.f, x };',
      'function g() {}',
      'module.exports["g"] = g;',
    ]);
  });

  test('an import of a file that is not there, and a syntax error, are problems', () => {
    expect(transformSjs('a.sjs', "import z from './z.sjs';", () => false).problems[0]?.message).toMatch(
      /z.sjs is not an .sjs file of the folder/,
    );
    expect(transformSjs('a.sjs', 'export default {', () => true).problems[0]).toMatchObject({
      code: 'SJS_SYNTAX',
      file: 'a.sjs',
      line: 1,
    });
  });
});

describe('the folder', () => {
  test('pages from app.json, components through usingComponents (transitively), every .js, CSS per page', () => {
    const dir = writeMiniProgram({
      'app.json': JSON.stringify({ pages: ['pages/a/index'] }),
      'app.acss': '.app { width: 750rpx }',
      'pages/a/index.axml': '<box/>',
      'pages/a/index.json': JSON.stringify({ usingComponents: { box: '../../components/box/index' } }),
      'pages/a/index.acss': '.page { color: blue }',
      'components/box/index.json': JSON.stringify({
        component: true,
        usingComponents: { dot: '/components/dot/index' },
      }),
      'components/box/index.axml': '<dot/>',
      'components/box/index.acss': '.box { color: red }',
      'components/box/index.js': 'Component({});',
      'components/dot/index.json': JSON.stringify({ component: true, styleIsolation: 'isolated' }),
      'components/dot/index.axml': '<view class="dot"/>',
      'components/dot/index.js': 'Component({});',
      'utils/helper.js': 'module.exports = 1;',
    });
    const bundle = compileApp({ dir, width: 375 });
    expect(Object.keys(bundle.components).sort()).toEqual(['components/box/index', 'components/dot/index']);
    expect(Object.keys(bundle.scripts).sort()).toEqual([
      'app.js',
      'components/box/index.js',
      'components/dot/index.js',
      'pages/a/index.js',
      'utils/helper.js',
    ]);
    const css = bundle.pages['pages/a/index']?.css ?? '';
    expect(css.indexOf('.app { width: 375px }')).toBeLessThan(css.indexOf('.box'));
    expect(css.indexOf('.box')).toBeLessThan(css.indexOf('.page'));
    expect(bundle.problems).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED',
        file: 'components/dot/index.json',
        message: expect.stringContaining('styleIsolation "isolated"'),
      }),
    ]);
  });

  test('a folder without app.json is refused at once', () => {
    expect(() =>
      compileApp({ dir: writeMiniProgram({ 'app.json': '' }).replace(/$/, '/nowhere'), width: 375 }),
    ).toThrow(/has no app.json/);
  });
});
