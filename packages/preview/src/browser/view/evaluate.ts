// Interprets the compiled `{{ }}` expressions (shared/ir.ts) against a scope. As on the platform, reading a
// member of undefined or null gives undefined instead of throwing, and only SJS functions can be called
// (the compiler refused every other call).
import type { Expr, Value } from '../shared/ir';

/** Names visible to an expression: a chain of objects without Object.prototype (so `constructor` is not data). */
export type Scope = Record<string, unknown>;

export function childScope(parent: Scope, values: Record<string, unknown>): Scope {
  const scope = Object.create(parent) as Scope;
  for (const [key, value] of Object.entries(values)) scope[key] = value;
  return scope;
}

export function rootScope(...layers: Array<Record<string, unknown> | undefined>): Scope {
  const scope = Object.create(null) as Scope;
  for (const layer of layers) if (layer) for (const [key, value] of Object.entries(layer)) scope[key] = value;
  return scope;
}

export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
}

function member(object: unknown, property: unknown): unknown {
  if (object === null || object === undefined) return undefined;
  const key = String(property);
  if (key === '__proto__' || key === 'prototype' || key === 'constructor') return undefined;
  return (object as Record<string, unknown>)[key];
}

export function evaluate(expr: Expr, scope: Scope): unknown {
  switch (expr.k) {
    case 'lit':
      return expr.v;
    case 'id':
      return scope[expr.name];
    case 'mem':
      return member(evaluate(expr.obj, scope), evaluate(expr.prop, scope));
    case 'cond':
      return evaluate(expr.test, scope) ? evaluate(expr.then, scope) : evaluate(expr.else, scope);
    case 'log': {
      const left = evaluate(expr.l, scope);
      if (expr.op === '&&') return left ? evaluate(expr.r, scope) : left;
      if (expr.op === '||') return left ? left : evaluate(expr.r, scope);
      return left ?? evaluate(expr.r, scope);
    }
    case 'un': {
      const value = evaluate(expr.arg, scope);
      switch (expr.op) {
        case '!':
          return !value;
        case '-':
          return -(value as number);
        case '+':
          return +(value as number);
        case '~':
          return ~(value as number);
        case 'typeof':
          return typeof value;
      }
      throw new EvaluationError(`unknown operator ${expr.op}`);
    }
    case 'bin':
      return binary(expr.op, evaluate(expr.l, scope), evaluate(expr.r, scope));
    case 'arr': {
      const out: unknown[] = [];
      for (const item of expr.items) {
        if ('k' in item && item.k === 'spread')
          out.push(...((evaluate(item.arg, scope) as unknown[] | undefined) ?? []));
        else out.push(evaluate(item as Expr, scope));
      }
      return out;
    }
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const property of expr.props) {
        if ('k' in property) Object.assign(out, evaluate(property.arg, scope) ?? {});
        else out[property.key] = evaluate(property.value, scope);
      }
      return out;
    }
    case 'call': {
      const callee = expr.callee;
      if (callee.k !== 'mem') throw new EvaluationError('only SJS functions can be called');
      const object = evaluate(callee.obj, scope);
      const fn = member(object, evaluate(callee.prop, scope));
      if (typeof fn !== 'function') throw new EvaluationError(`${describe(callee)} is not a function`);
      return (fn as (...args: unknown[]) => unknown).apply(
        object,
        expr.args.map((arg) => evaluate(arg, scope)),
      );
    }
  }
}

function binary(op: string, l: any, r: any): unknown {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '**':
      return l ** r;
    case '==':
      return l == r;
    case '!=':
      return l != r;
    case '===':
      return l === r;
    case '!==':
      return l !== r;
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
    case '&':
      return l & r;
    case '|':
      return l | r;
    case '^':
      return l ^ r;
    case '<<':
      return l << r;
    case '>>':
      return l >> r;
    case '>>>':
      return l >>> r;
    case 'in':
      return r !== null && typeof r === 'object' ? l in r : false;
    case 'instanceof':
      return false;
  }
  throw new EvaluationError(`unknown operator ${op}`);
}

function describe(expr: Expr): string {
  if (expr.k === 'id') return expr.name;
  if (expr.k === 'mem') return `${describe(expr.obj)}.${expr.prop.k === 'lit' ? String(expr.prop.v) : '[…]'}`;
  return 'the expression';
}

/** An attribute's value: raw for a lone `{{ }}`, a string when text surrounds it, `true` for a bare attribute. */
export function evaluateValue(value: Value, scope: Scope): unknown {
  if (value.k === 'static') return value.v;
  if (value.k === 'expr') return evaluate(value.e, scope);
  return value.parts.map((part) => (typeof part === 'string' ? part : toText(evaluate(part, scope)))).join('');
}

/** How a value shows as text: undefined and null as nothing. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}
