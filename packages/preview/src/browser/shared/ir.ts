// The compiled form of a mini program that the preview server sends to the browser. The server parses AXML,
// `{{ }}` expressions, SJS and ACSS once; the view interprets these trees (no code generation for templates,
// so a template cannot run anything the platform's template language could not).

/** A `{{ }}` expression, reduced to the constructs the platform's template language allows. */
export type Expr =
  | { k: 'lit'; v: string | number | boolean | null }
  | { k: 'id'; name: string }
  | { k: 'mem'; obj: Expr; prop: Expr }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'log'; op: '&&' | '||' | '??'; l: Expr; r: Expr }
  | { k: 'un'; op: string; arg: Expr }
  | { k: 'arr'; items: Array<Expr | { k: 'spread'; arg: Expr }> }
  | { k: 'obj'; props: Array<{ key: string; value: Expr } | { k: 'spread'; arg: Expr }> }
  | { k: 'call'; callee: Expr; args: Expr[] };

/**
 * An attribute or text value: `static` (no `{{ }}`; `true` for an attribute written without a value), `expr`
 * (exactly one `{{ }}` and nothing else: the raw value, not a string) or `concat` (text and expressions, as a
 * string).
 */
export type Value =
  { k: 'static'; v: string | true } | { k: 'expr'; e: Expr } | { k: 'concat'; parts: Array<string | Expr> };

export interface Attr {
  name: string;
  value: Value;
}

/** `onTap="h"` / `catchTap="h"` on a built-in tag: `event` is `tap`. */
export interface EventBinding {
  event: string;
  catch: boolean;
  handler: Value;
}

export type Node =
  | { k: 'text'; value: Value; line: number }
  | {
      k: 'el';
      tag: string;
      /** The resolved component path (inside the folder, no extension) when the tag is a custom component. */
      component?: string;
      attrs: Attr[];
      events: EventBinding[];
      children: Node[];
      /** Unique in its file: a custom component's identity between renders is owner + uid + loop keys. */
      uid: number;
      line: number;
    }
  | { k: 'block'; children: Node[]; slot?: Value }
  | { k: 'if'; branches: Array<{ test?: Expr; node: Node }> }
  | { k: 'for'; list: Value; item: string; index: string; key?: string; body: Node; line: number }
  | { k: 'slot'; name?: Value; props: Attr[]; fallback: Node[]; line: number }
  | { k: 'use'; is: Value; data?: Expr; line: number };

export interface TemplateFile {
  /** Path inside the folder, e.g. `pages/products/index.axml`. */
  path: string;
  nodes: Node[];
  /** `<template name>` definitions of this file. */
  templates: Record<string, Node[]>;
  /** Files whose templates this one may use (`<import src>`; not transitive, as on the platform). */
  imports: string[];
  /** `<import-sjs name from>`: name → SJS module path. */
  sjs: Record<string, string>;
}

export interface PageEntry {
  route: string;
  /** The page's `.json` (defaultTitle, usingComponents, ...). */
  json: Record<string, unknown>;
  template: string;
  /** The CSS of this page's document: app.acss, the components it uses, then its own. */
  css: string;
}

export interface ComponentEntry {
  path: string;
  json: Record<string, unknown>;
  template: string;
}

/** An error found while compiling (or, in the view, while rendering): the overlay names the file and line. */
export interface PreviewProblem {
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** What kind of problem, for tests and for the overlay's heading. */
  code: string;
  /** Default `error`; a `warning` is shown too but the program goes on as the platform's would. */
  level?: 'error' | 'warning';
  stack?: string;
}

export interface AppBundle {
  appJson: { pages: string[]; window?: Record<string, unknown>; [key: string]: unknown };
  width: number;
  pages: Record<string, PageEntry>;
  components: Record<string, ComponentEntry>;
  templates: Record<string, TemplateFile>;
  /** SJS modules as CommonJS-style function bodies (`module`, `exports`, `require`). */
  sjs: Record<string, string>;
  /** Every `.js` file of the folder, by path. */
  scripts: Record<string, string>;
  problems: PreviewProblem[];
  /** The sandbox the preview gets auth codes from (production builds), if given. */
  sandboxUrl?: string;
}
