// `{{ }}` expressions: parsed with acorn, checked against what the platform's template language allows, and
// reduced to the small tree the view interprets (src/browser/shared/ir.ts).
//
// Allowed, as the platform documents data binding: literals (not regular expressions), names, member access
// (`a.b`, `a[0]`, `a[key]`), the ternary, arithmetic, comparison and logical operators, unary `! - + ~ typeof`,
// array and object literals with `...` spread and shorthand keys, and calls of functions of SJS modules
// imported in the file (`utils.getClass(size)`): templates cannot call page methods or built-in methods.
// Refused: assignment, `++`/`--`, functions and arrows, `new`, `this`, template strings, regular
// expressions, optional chaining, sequences, `delete`/`void`, computed object keys, getters and methods.
import { parseExpressionAt, type Node as AcornNode } from 'acorn';
import type { Expr, Value } from './browser/shared/ir';

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    /** Offset inside the whole attribute or text where the problem is. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Which names refer to SJS modules in this file: only their members may be called. */
export interface ExpressionContext {
  sjsNames: ReadonlySet<string>;
}

type AnyNode = AcornNode & Record<string, any>;

const BINARY = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '==',
  '!=',
  '===',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'instanceof',
  '&',
  '|',
  '^',
  '<<',
  '>>',
  '>>>',
]);
const UNARY = new Set(['!', '-', '+', '~', 'typeof']);

/** Parses the source of one `{{ }}` (without the braces). `asObject` reads `a, b` / `...x, c: 1` as an object literal (`<template data>`). */
export function parseExpression(
  source: string,
  context: ExpressionContext,
  options: { asObject?: boolean; offset?: number } = {},
): Expr {
  const offset = options.offset ?? 0;
  // An expression that starts with `{` is an object literal, so `{a, b}` needs no parentheses.
  const text = options.asObject ? `{${source}}` : source;
  const shift = options.asObject ? 1 : 0;
  let node: AnyNode;
  try {
    node = parseExpressionAt(text, 0, { ecmaVersion: 2022 }) as AnyNode;
  } catch (error) {
    const at = typeof (error as { pos?: number }).pos === 'number' ? (error as { pos: number }).pos - shift : 0;
    throw new ExpressionError(
      `{{${source}}} does not parse: ${(error as Error).message.replace(/ \(\d+:\d+\)$/, '')}`,
      offset + Math.max(0, at),
    );
  }
  const rest = text.slice(node.end).trim();
  if (rest !== '') {
    const what = rest.startsWith(',')
      ? 'a comma sequence is not an expression the platform allows'
      : `unexpected ${JSON.stringify(rest.slice(0, 10))}`;
    throw new ExpressionError(`{{${source}}}: ${what}`, offset + node.end - shift);
  }
  return convert(node, context, source, offset - shift);
}

function refuse(node: AnyNode, source: string, base: number, what: string): never {
  throw new ExpressionError(`{{${source}}}: ${what} is not allowed in a template expression`, base + node.start);
}

function convert(node: AnyNode, context: ExpressionContext, source: string, base: number): Expr {
  const c = (child: AnyNode) => convert(child, context, source, base);
  switch (node.type) {
    case 'Literal':
      if (node.regex) refuse(node, source, base, 'a regular expression');
      if (typeof node.value === 'bigint') refuse(node, source, base, 'a BigInt');
      return { k: 'lit', v: node.value as string | number | boolean | null };
    case 'Identifier':
      return { k: 'id', name: node.name };
    case 'MemberExpression':
      if (node.optional) refuse(node, source, base, 'optional chaining (?.)');
      return {
        k: 'mem',
        obj: c(node.object),
        prop: node.computed ? c(node.property) : { k: 'lit', v: node.property.name as string },
      };
    case 'ChainExpression':
      return refuse(node, source, base, 'optional chaining (?.)');
    case 'ConditionalExpression':
      return { k: 'cond', test: c(node.test), then: c(node.consequent), else: c(node.alternate) };
    case 'BinaryExpression':
      if (!BINARY.has(node.operator)) refuse(node, source, base, `the operator ${node.operator}`);
      return { k: 'bin', op: node.operator, l: c(node.left), r: c(node.right) };
    case 'LogicalExpression':
      return { k: 'log', op: node.operator, l: c(node.left), r: c(node.right) };
    case 'UnaryExpression':
      if (!UNARY.has(node.operator)) refuse(node, source, base, `the operator ${node.operator}`);
      return { k: 'un', op: node.operator, arg: c(node.argument) };
    case 'ArrayExpression':
      return {
        k: 'arr',
        items: node.elements.map((element: AnyNode | null) => {
          if (element === null) refuse(node, source, base, 'an array hole');
          return element.type === 'SpreadElement' ? { k: 'spread' as const, arg: c(element.argument) } : c(element);
        }),
      };
    case 'ObjectExpression':
      return {
        k: 'obj',
        props: node.properties.map((property: AnyNode) => {
          if (property.type === 'SpreadElement') return { k: 'spread' as const, arg: c(property.argument) };
          if (property.kind !== 'init' || property.method) refuse(property, source, base, 'a getter, setter or method');
          if (property.computed) refuse(property, source, base, 'a computed key');
          const key = property.key.type === 'Identifier' ? (property.key.name as string) : String(property.key.value);
          return { key, value: c(property.value) };
        }),
      };
    case 'CallExpression': {
      if (node.optional) refuse(node, source, base, 'optional chaining (?.)');
      const root = rootName(node.callee);
      if (root === undefined || !context.sjsNames.has(root) || node.callee.type !== 'MemberExpression') {
        refuse(node, source, base, "calling a function other than an imported SJS module's (<import-sjs>)");
      }
      return { k: 'call', callee: c(node.callee), args: node.arguments.map((argument: AnyNode) => c(argument)) };
    }
    case 'AssignmentExpression':
      return refuse(node, source, base, 'assignment');
    case 'UpdateExpression':
      return refuse(node, source, base, `${node.operator}`);
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return refuse(node, source, base, 'a function');
    case 'NewExpression':
      return refuse(node, source, base, 'new');
    case 'ThisExpression':
      return refuse(node, source, base, 'this');
    case 'TemplateLiteral':
    case 'TaggedTemplateExpression':
      return refuse(node, source, base, 'a template string');
    case 'SequenceExpression':
      return refuse(node, source, base, 'a comma sequence');
    default:
      return refuse(node, source, base, `${node.type}`);
  }
}

function rootName(node: AnyNode): string | undefined {
  let current = node;
  while (current.type === 'MemberExpression') current = current.object;
  return current.type === 'Identifier' ? (current.name as string) : undefined;
}

/**
 * An attribute's or text's value: the `{{ }}` parts parsed, the rest kept as text. A `}}` inside an
 * expression (an object literal) is handled by trying each closing `}}` until the inside parses.
 */
export function parseValue(raw: string, context: ExpressionContext, options: { asObject?: boolean } = {}): Value {
  const parts: Array<string | Expr> = [];
  let index = 0;
  while (index < raw.length) {
    const open = raw.indexOf('{{', index);
    if (open === -1) {
      parts.push(raw.slice(index));
      break;
    }
    if (open > index) parts.push(raw.slice(index, open));
    let close = raw.indexOf('}}', open + 2);
    if (close === -1) throw new ExpressionError(`"${raw}": {{ is never closed with }}`, open);
    let expr: Expr | undefined;
    let firstError: ExpressionError | undefined;
    while (close !== -1) {
      // `{{ {a: {b: 1}} }}`: the first `}}` may belong to the expression.
      const inner = raw.slice(open + 2, close);
      try {
        expr = parseExpression(inner, context, { ...options, offset: open + 2 });
        break;
      } catch (error) {
        firstError ??= error as ExpressionError;
        if (!/does not parse/.test((error as Error).message)) throw error;
        close = raw.indexOf('}}', close + 1);
      }
    }
    if (!expr) throw firstError as ExpressionError;
    parts.push(expr);
    index = close + 2;
  }
  if (parts.length === 0) return { k: 'static', v: '' };
  if (parts.length === 1 && typeof parts[0] === 'string') return { k: 'static', v: parts[0] };
  if (parts.length === 1) return { k: 'expr', e: parts[0] as Expr };
  return { k: 'concat', parts };
}
