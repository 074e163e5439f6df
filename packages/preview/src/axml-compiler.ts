// AXML → the tree the view interprets (src/browser/shared/ir.ts). htmlparser2 reads the markup in XML mode
// (tag and attribute names keep their case, so `onTap` is not `ontap`; `<x/>` closes itself; no HTML void
// elements), with source offsets for line numbers. What the platform would refuse is a problem naming the
// file and line: markup that does not parse, an expression the template language does not allow, a custom
// tag missing from `usingComponents`, a tag that is neither a built-in nor a component, a missing
// `import`/`include`/`import-sjs` file, directives in the wrong place.
import { Parser } from 'htmlparser2';
import type { Attr, EventBinding, Expr, Node, PreviewProblem, TemplateFile, Value } from './browser/shared/ir';
import { ExpressionError, parseValue, type ExpressionContext } from './expression';
import { joinInside } from './internal/paths';

/** The built-in tags the preview draws (src/browser/view/builtins.ts), besides block/slot/template/import/include/import-sjs. */
export const BUILTIN_TAGS: ReadonlySet<string> = new Set([
  'view',
  'text',
  'image',
  'button',
  'input',
  'textarea',
  'scroll-view',
  'label',
]);

const STRUCTURE_TAGS = new Set(['block', 'slot', 'template', 'import', 'include', 'import-sjs']);

export interface CompileContext {
  /** Reads a file of the folder (path relative to it); undefined when it does not exist. */
  read(path: string): string | undefined;
  /** The `usingComponents` of the page or component whose template this is: tag → component path. */
  components: Record<string, string>;
  /** Where the `usingComponents` come from, for messages. */
  jsonPath: string;
}

export interface CompileResult {
  files: Record<string, TemplateFile>;
  problems: PreviewProblem[];
  /** The last element uid given: uids are unique across every file of one result, includes included. */
  lastUid?: number;
}

interface RawAttr {
  name: string;
  value: string;
  /** Written without `=`: `<block a:else>`. */
  bare: boolean;
}

interface RawElement {
  type: 'el';
  tag: string;
  attrs: RawAttr[];
  children: RawNode[];
  line: number;
}

interface RawText {
  type: 'text';
  text: string;
  line: number;
}

type RawNode = RawElement | RawText;

/** Line starts of a source, to turn offsets into 1-based lines. */
function lineIndex(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

class ProblemSink {
  readonly problems: PreviewProblem[] = [];
  add(code: string, file: string, line: number | undefined, message: string): void {
    this.problems.push({ code, file, ...(line === undefined ? {} : { line }), message });
  }
}

/** Parses markup into raw nodes, reporting unclosed and stray tags. */
function parseMarkup(source: string, file: string, sink: ProblemSink): RawNode[] {
  const lineOf = lineIndex(source);
  const root: RawElement = { type: 'el', tag: '#root', attrs: [], children: [], line: 1 };
  const stack: RawElement[] = [root];
  let pendingAttrs: RawAttr[] = [];
  const parser: Parser = new Parser(
    {
      onopentagname() {
        pendingAttrs = [];
      },
      onattribute(name, value, quote) {
        pendingAttrs.push({ name, value, bare: quote === undefined || quote === null });
      },
      onopentag(name) {
        const element: RawElement = {
          type: 'el',
          tag: name,
          attrs: pendingAttrs,
          children: [],
          line: lineOf(parser.startIndex),
        };
        (stack[stack.length - 1] as RawElement).children.push(element);
        stack.push(element);
      },
      onclosetag() {
        stack.pop();
      },
      ontext(text) {
        const parent = stack[stack.length - 1] as RawElement;
        const last = parent.children[parent.children.length - 1];
        if (last && last.type === 'text') last.text += text;
        else parent.children.push({ type: 'text', text, line: lineOf(parser.startIndex) });
      },
    },
    {
      xmlMode: true,
      recognizeSelfClosing: true,
      decodeEntities: true,
      lowerCaseTags: false,
      lowerCaseAttributeNames: false,
    },
  );
  // htmlparser2 forgives unclosed tags and ignores a closing tag that closes nothing: the platform's
  // compiler refuses both, so a scan of the tags finds them.
  const open: Array<{ tag: string; line: number }> = [];
  const tagPattern = /<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w:-]*)((?:"[^"]*"|'[^']*'|[^'">])*?)(\/?)>/g;
  for (const match of source.matchAll(tagPattern)) {
    if (!match[2]) continue;
    const [, closing, tag, , selfClosing] = match;
    if (selfClosing) continue;
    if (!closing) open.push({ tag: tag as string, line: lineOf(match.index ?? 0) });
    else if (open.length && open[open.length - 1]?.tag === tag) open.pop();
    else if (!open.some((entry) => entry.tag === tag)) {
      sink.add('TEMPLATE_SYNTAX', file, lineOf(match.index ?? 0), `</${tag}> closes no open <${tag}>`);
    } else {
      while (open.length && open[open.length - 1]?.tag !== tag) {
        const unclosed = open.pop() as { tag: string; line: number };
        sink.add(
          'TEMPLATE_SYNTAX',
          file,
          unclosed.line,
          `<${unclosed.tag}> opened at line ${unclosed.line} is never closed`,
        );
      }
      open.pop();
    }
  }
  for (const unclosed of open)
    sink.add(
      'TEMPLATE_SYNTAX',
      file,
      unclosed.line,
      `<${unclosed.tag}> opened at line ${unclosed.line} is never closed`,
    );
  parser.write(source);
  parser.end();
  return root.children;
}

/** Compiles `path` and every file it imports or includes. */
export function compileTemplate(
  path: string,
  context: CompileContext,
  into: CompileResult = { files: {}, problems: [] },
): CompileResult {
  new FileCompiler(path, context, into, new Set()).compile();
  return into;
}

class FileCompiler {
  private readonly sink = new ProblemSink();
  private readonly sjs: Record<string, string> = {};
  private readonly templates: Record<string, Node[]> = {};
  private readonly imports: string[] = [];
  private expressionContext: ExpressionContext = { sjsNames: new Set() };

  constructor(
    private readonly path: string,
    private readonly context: CompileContext,
    private readonly result: CompileResult,
    /** Includes being compiled (a cycle is a problem). */
    private readonly including: Set<string>,
  ) {}

  compile(): TemplateFile | undefined {
    if (this.result.files[this.path]) return this.result.files[this.path];
    const nodes = this.compileNodes() ?? [];
    const file: TemplateFile = {
      path: this.path,
      nodes,
      templates: this.templates,
      imports: this.imports,
      sjs: this.sjs,
    };
    this.result.files[this.path] = file;
    this.result.problems.push(...this.sink.problems);
    for (const imported of this.imports) {
      if (!this.result.files[imported]) new FileCompiler(imported, this.context, this.result, new Set()).compile();
    }
    return file;
  }

  /** The file's top-level nodes (its `<template>` definitions, imports and SJS collected on the way). */
  compileNodes(): Node[] | undefined {
    const source = this.context.read(this.path);
    if (source === undefined) return undefined;
    const raw = parseMarkup(source, this.path, this.sink);
    // SJS names first: expressions anywhere in the file may call them.
    this.collectSjs(raw);
    return this.children(raw, true);
  }

  private collectSjs(raw: RawNode[]): void {
    for (const node of raw) {
      if (node.type !== 'el') continue;
      if (node.tag === 'import-sjs') {
        const name = attr(node, 'name');
        const from = attr(node, 'from');
        if (!name || !from) {
          this.sink.add('TEMPLATE_SYNTAX', this.path, node.line, '<import-sjs> needs both name and from');
          continue;
        }
        const target = joinInside(this.path, from.value);
        if (target === undefined || this.context.read(target) === undefined) {
          this.sink.add(
            'MISSING_FILE',
            this.path,
            node.line,
            `<import-sjs from="${from.value}">: ${target ?? from.value} does not exist`,
          );
          continue;
        }
        this.sjs[name.value] = target;
      } else {
        this.collectSjs(node.children);
      }
    }
    this.expressionContext = { sjsNames: new Set(Object.keys(this.sjs)) };
  }

  private value(raw: string, line: number, options: { asObject?: boolean } = {}): Value {
    try {
      return parseValue(raw, this.expressionContext, options);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      this.sink.add('EXPRESSION', this.path, line + countLines(raw, error.offset), error.message);
      return { k: 'static', v: '' };
    }
  }

  private children(raw: RawNode[], topLevel: boolean): Node[] {
    const out: Node[] = [];
    let chain: Extract<Node, { k: 'if' }> | undefined;
    for (const node of raw) {
      if (node.type === 'text') {
        // Whitespace with a line break between tags is layout of the source, not content.
        if (/^\s*$/.test(node.text) && /\n/.test(node.text)) continue;
        chain = undefined;
        out.push({ k: 'text', value: this.value(node.text, node.line), line: node.line });
        continue;
      }
      const elif = attr(node, 'a:elif');
      const otherwise = attr(node, 'a:else');
      if (elif || otherwise) {
        if (!chain) {
          this.sink.add(
            'TEMPLATE_SYNTAX',
            this.path,
            node.line,
            `${elif ? 'a:elif' : 'a:else'} on <${node.tag}> does not follow an a:if`,
          );
          continue;
        }
        const compiled = this.element(node, topLevel);
        if (compiled)
          chain.branches.push({ ...(elif ? { test: this.condition(elif, node.line) } : {}), node: compiled });
        if (otherwise) chain = undefined;
        continue;
      }
      const compiled = this.element(node, topLevel);
      // With a:for on the same element, a:if is tested for each item (element() put it inside the loop).
      const test = attr(node, 'a:for') ? undefined : attr(node, 'a:if');
      if (test && compiled) {
        chain = { k: 'if', branches: [{ test: this.condition(test, node.line), node: compiled }] };
        out.push(chain);
      } else {
        chain = undefined;
        if (compiled) out.push(compiled);
      }
    }
    return out;
  }

  private condition(raw: RawAttr, line: number): Expr {
    const value = this.value(raw.value, line);
    if (value.k === 'expr') return value.e;
    if (value.k === 'static') return { k: 'lit', v: value.v === true ? true : value.v };
    // Text around {{ }}: the platform tests the resulting string.
    return { k: 'bin', op: '+', l: { k: 'lit', v: '' }, r: concatExpr(value.parts) };
  }

  /** One element with its a:for (if any); a:if is applied by the caller around the result. */
  private element(node: RawElement, topLevel: boolean): Node | undefined {
    const forAttr = attr(node, 'a:for');
    const body = this.elementBody(node, topLevel);
    if (!body || !forAttr) return body;
    const test = attr(node, 'a:if');
    const inner: Node = test ? { k: 'if', branches: [{ test: this.condition(test, node.line), node: body }] } : body;
    const item = attr(node, 'a:for-item')?.value || 'item';
    const index = attr(node, 'a:for-index')?.value || 'index';
    const key = attr(node, 'a:key')?.value;
    return {
      k: 'for',
      list: this.value(forAttr.value, node.line),
      item,
      index,
      ...(key ? { key } : {}),
      body: inner,
      line: node.line,
    };
  }

  private elementBody(node: RawElement, topLevel: boolean): Node | undefined {
    switch (node.tag) {
      case 'import-sjs':
        return undefined; // collected already
      case 'import': {
        const src = attr(node, 'src');
        const target = src ? joinInside(this.path, withAxml(src.value)) : undefined;
        if (!src || target === undefined || this.context.read(target) === undefined) {
          this.sink.add(
            'MISSING_FILE',
            this.path,
            node.line,
            `<import src="${src?.value ?? ''}">: ${target ?? src?.value ?? 'no src'} does not exist`,
          );
        } else if (!this.imports.includes(target)) {
          this.imports.push(target);
        }
        return undefined;
      }
      case 'include':
        return this.include(node);
      case 'template':
        return this.template(node, topLevel);
      case 'block':
        return { k: 'block', children: this.children(node.children, false), ...this.slotOf(node) };
      case 'slot': {
        const name = attr(node, 'name');
        const props: Attr[] = node.attrs
          .filter((a) => a.name !== 'name' && !a.name.startsWith('a:'))
          .map((a) => ({ name: a.name, value: a.bare ? { k: 'static', v: true } : this.value(a.value, node.line) }));
        return {
          k: 'slot',
          ...(name ? { name: this.value(name.value, node.line) } : {}),
          props,
          fallback: this.children(node.children, false),
          line: node.line,
        };
      }
      default:
        return this.tag(node);
    }
  }

  private slotOf(node: RawElement): { slot?: Value } {
    const slot = attr(node, 'slot');
    return slot ? { slot: this.value(slot.value, node.line) } : {};
  }

  private include(node: RawElement): Node | undefined {
    const src = attr(node, 'src');
    const target = src ? joinInside(this.path, withAxml(src.value)) : undefined;
    if (!src || target === undefined || this.context.read(target) === undefined) {
      this.sink.add(
        'MISSING_FILE',
        this.path,
        node.line,
        `<include src="${src?.value ?? ''}">: ${target ?? src?.value ?? 'no src'} does not exist`,
      );
      return undefined;
    }
    if (this.including.has(target) || target === this.path) {
      this.sink.add('TEMPLATE_SYNTAX', this.path, node.line, `<include src="${src.value}"> includes itself`);
      return undefined;
    }
    // An include copies the other file's content, except its <template> definitions, into this one.
    const nested = new FileCompiler(target, this.context, this.result, new Set([...this.including, this.path]));
    const nodes = nested.compileNodes() ?? [];
    this.result.problems.push(...nested.sink.problems);
    Object.assign(this.sjs, nested.sjs);
    for (const imported of nested.imports) if (!this.imports.includes(imported)) this.imports.push(imported);
    return { k: 'block', children: nodes };
  }

  private template(node: RawElement, topLevel: boolean): Node | undefined {
    const name = attr(node, 'name');
    const is = attr(node, 'is');
    if (name) {
      if (!topLevel)
        this.sink.add(
          'TEMPLATE_SYNTAX',
          this.path,
          node.line,
          `<template name="${name.value}"> must be at the top level of the file`,
        );
      this.templates[name.value] = this.children(node.children, false);
      return undefined;
    }
    if (!is) {
      this.sink.add('TEMPLATE_SYNTAX', this.path, node.line, '<template> needs name (a definition) or is (a use)');
      return undefined;
    }
    const data = attr(node, 'data');
    let dataExpr: Expr | undefined;
    if (data) {
      const value = this.value(data.value, node.line, { asObject: true });
      if (value.k === 'expr') dataExpr = value.e;
      else this.sink.add('EXPRESSION', this.path, node.line, `<template data="${data.value}">: data must be one {{ }}`);
    }
    return { k: 'use', is: this.value(is.value, node.line), ...(dataExpr ? { data: dataExpr } : {}), line: node.line };
  }

  private tag(node: RawElement): Node | undefined {
    const component = this.context.components[node.tag];
    if (!component && !BUILTIN_TAGS.has(node.tag)) {
      const message = node.tag.includes('-')
        ? `<${node.tag}> is not a built-in tag and is not in usingComponents of ${this.context.jsonPath}`
        : `<${node.tag}> is not a built-in tag the preview supports (${[...BUILTIN_TAGS].join(', ')}) and is not in usingComponents of ${this.context.jsonPath}`;
      this.sink.add(node.tag.includes('-') ? 'UNKNOWN_COMPONENT' : 'UNKNOWN_TAG', this.path, node.line, message);
      return undefined;
    }
    if (STRUCTURE_TAGS.has(node.tag)) return undefined;
    const attrs: Attr[] = [];
    const events: EventBinding[] = [];
    for (const raw of node.attrs) {
      if (raw.name.startsWith('a:')) {
        if (!['a:if', 'a:elif', 'a:else', 'a:for', 'a:for-item', 'a:for-index', 'a:key'].includes(raw.name)) {
          this.sink.add('TEMPLATE_SYNTAX', this.path, node.line, `unknown directive ${raw.name} on <${node.tag}>`);
        }
        continue;
      }
      const value: Value = raw.bare ? { k: 'static', v: true } : this.value(raw.value, node.line);
      const event = /^(on|catch)([A-Z]\w*)$/.exec(raw.name);
      if (event && !component) {
        events.push({
          event: (event[2] as string).charAt(0).toLowerCase() + (event[2] as string).slice(1),
          catch: event[1] === 'catch',
          handler: value,
        });
      } else {
        attrs.push({ name: raw.name, value });
      }
    }
    const uid = (this.result.lastUid ?? 0) + 1;
    this.result.lastUid = uid;
    return {
      k: 'el',
      tag: node.tag,
      ...(component ? { component } : {}),
      attrs,
      events,
      children: this.children(node.children, false),
      uid,
      line: node.line,
    };
  }
}

function attr(node: RawElement, name: string): RawAttr | undefined {
  return node.attrs.find((a) => a.name === name);
}

/** `<import src="./a">` means `./a.axml`. */
function withAxml(src: string): string {
  return /\.axml$/.test(src) ? src : `${src}.axml`;
}

function countLines(text: string, offset: number): number {
  let lines = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return lines;
}

function concatExpr(parts: Array<string | Expr>): Expr {
  return parts
    .map((part): Expr => (typeof part === 'string' ? { k: 'lit', v: part } : part))
    .reduce((left, right) => ({ k: 'bin', op: '+', l: left, r: right }));
}
