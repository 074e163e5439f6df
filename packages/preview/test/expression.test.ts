// `{{ }}` expressions: what the platform's template language allows becomes the view's tree; what it refuses
// is an error that says what and where.
import { parseExpression, parseValue } from '../src/expression';

const context = { sjsNames: new Set(['utils']) };

describe('allowed', () => {
  test.each([
    ['a', { k: 'id', name: 'a' }],
    ["'x'", { k: 'lit', v: 'x' }],
    [
      'a.b[0]',
      {
        k: 'mem',
        obj: { k: 'mem', obj: { k: 'id', name: 'a' }, prop: { k: 'lit', v: 'b' } },
        prop: { k: 'lit', v: 0 },
      },
    ],
    ['a ? 1 : 2', { k: 'cond', test: { k: 'id', name: 'a' }, then: { k: 'lit', v: 1 }, else: { k: 'lit', v: 2 } }],
    [
      '!a && b',
      { k: 'log', op: '&&', l: { k: 'un', op: '!', arg: { k: 'id', name: 'a' } }, r: { k: 'id', name: 'b' } },
    ],
    [
      '[a, ...b]',
      {
        k: 'arr',
        items: [
          { k: 'id', name: 'a' },
          { k: 'spread', arg: { k: 'id', name: 'b' } },
        ],
      },
    ],
    [
      '{ x: 1, y }',
      {
        k: 'obj',
        props: [
          { key: 'x', value: { k: 'lit', v: 1 } },
          { key: 'y', value: { k: 'id', name: 'y' } },
        ],
      },
    ],
    [
      'utils.f(a)',
      {
        k: 'call',
        callee: { k: 'mem', obj: { k: 'id', name: 'utils' }, prop: { k: 'lit', v: 'f' } },
        args: [{ k: 'id', name: 'a' }],
      },
    ],
    [
      'typeof a === "number"',
      { k: 'bin', op: '===', l: { k: 'un', op: 'typeof', arg: { k: 'id', name: 'a' } }, r: { k: 'lit', v: 'number' } },
    ],
  ])('%s', (source, tree) => {
    expect(parseExpression(source, context)).toEqual(tree);
  });

  test('template data reads `a, b: 1` and `...x` as an object', () => {
    expect(parseExpression('...item, n: 1', context, { asObject: true })).toEqual({
      k: 'obj',
      props: [
        { k: 'spread', arg: { k: 'id', name: 'item' } },
        { key: 'n', value: { k: 'lit', v: 1 } },
      ],
    });
  });
});

describe('refused, naming the construct', () => {
  test.each([
    ['a = 1', /assignment is not allowed/],
    ['a++', /\+\+ is not allowed/],
    ['() => 1', /a function is not allowed/],
    ['function () {}', /does not parse|a function/],
    ['new Date()', /new is not allowed/],
    ['this.a', /this is not allowed/],
    ['`x${a}`', /a template string is not allowed/],
    ['/x/.test(a)', /calling a function other than/],
    ['a?.b', /optional chaining/],
    ['a.toFixed(2)', /calling a function other than an imported SJS module's/],
    ['f(a)', /calling a function other than/],
    ['a, b', /a comma sequence is not allowed/],
    ['delete a.b', /the operator delete is not allowed/],
    ['{ [k]: 1 }', /a computed key is not allowed/],
    ['a +', /does not parse/],
  ])('%s', (source, message) => {
    expect(() => parseExpression(source, context)).toThrow(message);
  });
});

describe('values of attributes and text', () => {
  test('no {{ }} is static; one alone keeps its type; text around makes a string', () => {
    expect(parseValue('plain', context)).toEqual({ k: 'static', v: 'plain' });
    expect(parseValue('{{n}}', context)).toEqual({ k: 'expr', e: { k: 'id', name: 'n' } });
    expect(parseValue('n={{n}}!', context)).toEqual({ k: 'concat', parts: ['n=', { k: 'id', name: 'n' }, '!'] });
  });

  test('a }} inside an object literal does not end the expression', () => {
    expect(parseValue('{{ {a: {b: 1}} }}', context)).toEqual({
      k: 'expr',
      e: { k: 'obj', props: [{ key: 'a', value: { k: 'obj', props: [{ key: 'b', value: { k: 'lit', v: 1 } }] } }] },
    });
  });

  test('an unclosed {{ is an error with its offset', () => {
    expect(() => parseValue('ab {{ c', context)).toThrow(/never closed/);
  });
});
