// Rendering: a page's template (and, inline, each custom component's) evaluated with its data into a
// virtual tree, which dom.ts applies to the page's document. Custom components render no element of their
// own (the platform's components have no host node); their identity between renders is the owner, the tag's
// place in the template and the loop keys around it. New components, changed props and removed components
// are collected for the worker, which runs their lifecycles.
import type { AppBundle, Node, PreviewProblem, TemplateFile, Value } from '../shared/ir';
import { isFunctionRef, type FunctionRef } from '../shared/protocol';
import { childScope, evaluate, evaluateValue, rootScope, toText, type Scope } from './evaluate';

export interface VText {
  text: string;
}

export interface Binding {
  handler: string;
  catch: boolean;
  owner: number;
  file: string;
  line: number;
}

export interface VElement {
  tag: string;
  /** Attributes after evaluation (class, style, id, data-*, the built-in's own props). */
  attrs: Record<string, unknown>;
  dataset: Record<string, unknown>;
  events: Record<string, Binding>;
  children: VNode[];
  file: string;
  line: number;
}

export type VNode = VText | VElement;

/** An instance as the view knows it: a page, or a custom component inside a page. */
export interface ViewInstance {
  id: number;
  kind: 'page' | 'component';
  /** Component path (no extension) or page route. */
  path: string;
  template: string;
  /** Undefined until the worker sent the component's first data. */
  data: Record<string, unknown> | undefined;
  methods: Set<string>;
  /** The props as the owner's template gave them (function props as stand-in functions). */
  props: Record<string, unknown>;
  /** The component's default props (from the worker), under the given ones in the template's scope. */
  defaults?: Record<string, unknown>;
  /** The props as they travel to the worker, to tell whether they changed. */
  wire: string;
  owner: number;
  key: string;
  /** What the owner put between the component's tags, for its <slot>s. */
  slotContent?: { nodes: Node[]; context: Context };
  /** Last update applied from the worker. */
  seq: number;
  /** Last update acknowledged to the worker (-1: never rendered). */
  acknowledged: number;
}

export interface Context {
  owner: ViewInstance;
  file: TemplateFile;
  scope: Scope;
  /** Loop keys and template uses around the node, for component identity. */
  keyPath: string;
}

export interface RenderPass {
  created: ViewInstance[];
  propsChanged: ViewInstance[];
  seen: Set<number>;
  /** Every instance drawn in this pass, parents before the components inside them. */
  rendered: ViewInstance[];
  /** The components drawn inside each instance's template (its children in the tree). */
  children: Map<number, ViewInstance[]>;
}

export interface RenderHost {
  bundle: AppBundle;
  components: Map<string, ViewInstance>;
  page: ViewInstance;
  nextComponentId(): number;
  sjs(path: string): unknown;
  problem(problem: PreviewProblem): void;
}

const FUNCTION_REF = Symbol('minipay function ref');

/** A stand-in for a function prop in the view: truthy in templates, and it remembers which method it is. */
function functionStandIn(ref: FunctionRef): () => void {
  const fn = () => {
    throw new Error('a function prop cannot be called in the view');
  };
  (fn as unknown as Record<symbol, FunctionRef>)[FUNCTION_REF] = ref;
  return fn;
}

function wireValue(value: unknown): unknown {
  if (typeof value === 'function') return (value as unknown as Record<symbol, FunctionRef>)[FUNCTION_REF];
  return value;
}

export class Renderer {
  private readonly drawing: ViewInstance[] = [];

  constructor(private readonly host: RenderHost) {}

  /** Renders the page with everything inside it. */
  renderPage(pass: RenderPass): VNode[] {
    return this.renderInstance(this.host.page, pass);
  }

  private renderInstance(instance: ViewInstance, pass: RenderPass): VNode[] {
    if (!instance.data) return [];
    pass.rendered.push(instance);
    const file = this.host.bundle.templates[instance.template];
    if (!file) return [];
    // A component's template reads its props and its data by name (data wins a clash), and $id.
    const scope =
      instance.kind === 'page'
        ? rootScope(this.sjsOf(file), instance.data, { $id: instance.id })
        : rootScope(this.sjsOf(file), withDefaults(instance.defaults, instance.props), instance.data, {
            $id: instance.id,
          });
    this.drawing.push(instance);
    try {
      return this.nodes(file.nodes, { owner: instance, file, scope, keyPath: '' }, pass);
    } finally {
      this.drawing.pop();
    }
  }

  private sjsOf(file: TemplateFile): Record<string, unknown> {
    const modules: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(file.sjs)) modules[name] = this.host.sjs(path);
    return modules;
  }

  private value(value: Value, context: Context, line: number): unknown {
    try {
      return evaluateValue(value, context.scope);
    } catch (error) {
      this.host.problem({
        code: 'RENDER',
        file: context.file.path,
        line,
        message: `evaluating an expression failed: ${(error as Error).message}`,
      });
      return undefined;
    }
  }

  nodes(nodes: Node[], context: Context, pass: RenderPass): VNode[] {
    const out: VNode[] = [];
    for (const node of nodes) this.node(node, context, pass, out);
    return out;
  }

  private node(node: Node, context: Context, pass: RenderPass, out: VNode[]): void {
    switch (node.k) {
      case 'text': {
        const text = toText(this.value(node.value, context, node.line));
        if (text !== '') out.push({ text });
        return;
      }
      case 'block':
        out.push(...this.nodes(node.children, context, pass));
        return;
      case 'if':
        for (const branch of node.branches) {
          let pass_ = true;
          if (branch.test) {
            try {
              pass_ = !!evaluate(branch.test, context.scope);
            } catch (error) {
              this.host.problem({
                code: 'RENDER',
                file: context.file.path,
                message: `a:if failed: ${(error as Error).message}`,
              });
              pass_ = false;
            }
          }
          if (pass_) {
            this.node(branch.node, context, pass, out);
            return;
          }
        }
        return;
      case 'for': {
        const list = this.value(node.list, context, node.line);
        const entries: Array<[string | number, unknown]> = Array.isArray(list)
          ? list.map((item, index) => [index, item])
          : typeof list === 'number'
            ? Array.from({ length: Math.max(0, Math.floor(list)) }, (_x, index) => [index, index] as [number, unknown])
            : list && typeof list === 'object'
              ? Object.entries(list as Record<string, unknown>)
              : typeof list === 'string'
                ? Array.from(list).map((item, index) => [index, item] as [number, unknown])
                : [];
        entries.forEach(([index, item]) => {
          const key =
            node.key === '*this'
              ? toText(item)
              : node.key && item && typeof item === 'object'
                ? toText((item as Record<string, unknown>)[node.key])
                : String(index);
          this.node(
            node.body,
            {
              ...context,
              scope: childScope(context.scope, { [node.item]: item, [node.index]: index }),
              keyPath: `${context.keyPath}/${node.line}[${key}]`,
            },
            pass,
            out,
          );
        });
        return;
      }
      case 'use': {
        const name = toText(this.value(node.is, context, node.line));
        const found = this.findTemplate(context.file, name);
        if (!found) {
          this.host.problem({
            code: 'RENDER',
            file: context.file.path,
            line: node.line,
            message: `<template is="${name}">: no template of that name in ${context.file.path} or the files it imports`,
          });
          return;
        }
        let data: Record<string, unknown> = {};
        if (node.data) {
          try {
            data = (evaluate(node.data, context.scope) as Record<string, unknown>) ?? {};
          } catch (error) {
            this.host.problem({
              code: 'RENDER',
              file: context.file.path,
              line: node.line,
              message: `<template data>: ${(error as Error).message}`,
            });
          }
        }
        const scope = rootScope(this.sjsOf(found.file), data);
        out.push(
          ...this.nodes(
            found.nodes,
            { owner: context.owner, file: found.file, scope, keyPath: `${context.keyPath}/T${node.line}:${name}` },
            pass,
          ),
        );
        return;
      }
      case 'slot':
        out.push(...this.slot(node, context, pass));
        return;
      case 'el':
        if (node.component) out.push(...this.component(node, context, pass));
        else out.push(this.element(node, context, pass));
        return;
    }
  }

  private findTemplate(file: TemplateFile, name: string): { nodes: Node[]; file: TemplateFile } | undefined {
    if (file.templates[name]) return { nodes: file.templates[name] as Node[], file };
    for (const path of file.imports) {
      const imported = this.host.bundle.templates[path];
      if (imported?.templates[name]) return { nodes: imported.templates[name] as Node[], file: imported };
    }
    return undefined;
  }

  private element(node: Extract<Node, { k: 'el' }>, context: Context, pass: RenderPass): VElement {
    const attrs: Record<string, unknown> = {};
    const dataset: Record<string, unknown> = {};
    for (const attr of node.attrs) {
      if (attr.name === 'slot' || attr.name === 'slot-scope') continue;
      const value = this.value(attr.value, context, node.line);
      if (attr.name.startsWith('data-')) dataset[camel(attr.name.slice(5))] = value;
      else attrs[attr.name] = value;
    }
    const events: Record<string, Binding> = {};
    for (const binding of node.events) {
      const handler = this.value(binding.handler, context, node.line);
      if (typeof handler !== 'string' || handler === '') continue;
      this.checkHandler(
        context,
        handler,
        node.line,
        `${binding.catch ? 'catch' : 'on'}${binding.event.charAt(0).toUpperCase()}${binding.event.slice(1)}`,
      );
      events[binding.event] = {
        handler,
        catch: binding.catch,
        owner: context.owner.id,
        file: context.file.path,
        line: node.line,
      };
    }
    return {
      tag: node.tag,
      attrs,
      dataset,
      events,
      children: this.nodes(node.children, context, pass),
      file: context.file.path,
      line: node.line,
    };
  }

  private checkHandler(context: Context, handler: string, line: number, attribute: string): boolean {
    if (context.owner.methods.has(handler)) return true;
    this.host.problem({
      code: 'MISSING_HANDLER',
      file: context.file.path,
      line,
      message: `${attribute}="${handler}": ${context.owner.kind} ${context.owner.path} has no method ${handler}`,
    });
    return false;
  }

  private component(node: Extract<Node, { k: 'el' }>, context: Context, pass: RenderPass): VNode[] {
    const path = node.component as string;
    const props: Record<string, unknown> = {};
    const wire: Record<string, unknown> = {};
    let ref: string | undefined;
    for (const attr of node.attrs) {
      if (attr.name === 'slot' || attr.name === 'slot-scope') continue;
      const value = this.value(attr.value, context, node.line);
      if (attr.name === 'ref') {
        if (typeof value === 'string' && value !== '') ref = value;
        continue;
      }
      if (/^(on|catch)[A-Z]/.test(attr.name) && typeof value === 'string') {
        if (value === '') continue;
        if (!this.checkHandler(context, value, node.line, attr.name)) continue;
        const reference: FunctionRef = { __minipayFn: value, owner: context.owner.id };
        props[attr.name] = functionStandIn(reference);
        wire[attr.name] = reference;
        continue;
      }
      props[attr.name] = value;
      wire[attr.name] = wireValue(value);
    }
    const key = `${context.owner.id}:${node.uid}${context.keyPath}`;
    const wireText = JSON.stringify(wire);
    let instance = this.host.components.get(key);
    if (!instance) {
      const entry = this.host.bundle.components[path];
      instance = {
        id: this.host.nextComponentId(),
        kind: 'component',
        path,
        template: entry ? entry.template : `${path}.axml`,
        data: undefined,
        methods: new Set(),
        props,
        wire: wireText,
        owner: context.owner.id,
        key,
        seq: 0,
        acknowledged: -1,
      };
      this.host.components.set(key, instance);
      pass.created.push(instance);
      (instance as ViewInstance & { ref?: string }).ref = ref;
    } else {
      instance.props = props;
      if (instance.wire !== wireText) {
        instance.wire = wireText;
        pass.propsChanged.push(instance);
      }
    }
    instance.slotContent = { nodes: node.children, context };
    pass.seen.add(instance.id);
    const parent = this.drawing[this.drawing.length - 1];
    if (parent) {
      const list = pass.children.get(parent.id) ?? [];
      list.push(instance);
      pass.children.set(parent.id, list);
    }
    return this.renderInstance(instance, pass);
  }

  private slot(node: Extract<Node, { k: 'slot' }>, context: Context, pass: RenderPass): VNode[] {
    const name = node.name ? toText(this.value(node.name, context, node.line)) : '';
    const content = context.owner.slotContent;
    const given = content ? content.nodes.filter((child) => this.slotName(child, content.context) === name) : [];
    if (!content || given.length === 0) return this.nodes(node.fallback, context, pass);
    const slotProps: Record<string, unknown> = {};
    for (const prop of node.props) slotProps[prop.name] = this.value(prop.value, context, node.line);
    const out: VNode[] = [];
    for (const child of given) {
      const scopeName = child.k === 'el' ? staticAttr(child, 'slot-scope') : undefined;
      const childContext = scopeName
        ? { ...content.context, scope: childScope(content.context.scope, { [scopeName]: slotProps }) }
        : content.context;
      this.node(child, childContext, pass, out);
    }
    return out;
  }

  private slotName(node: Node, context: Context): string {
    if (node.k === 'el') {
      const slot = node.attrs.find((attr) => attr.name === 'slot');
      return slot ? toText(this.value(slot.value, context, node.line)) : '';
    }
    if (node.k === 'block' && node.slot) return toText(this.value(node.slot, context, 0));
    if (node.k === 'if' || node.k === 'for') {
      const inner = node.k === 'if' ? node.branches[0]?.node : node.body;
      return inner ? this.slotName(inner, context) : '';
    }
    return '';
  }
}

/** As in the worker: an undefined prop takes the default. */
function withDefaults(
  defaults: Record<string, unknown> | undefined,
  props: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults ?? {}))
    out[key] = isFunctionRef(value) ? functionStandIn(value) : value;
  for (const [key, value] of Object.entries(props)) if (value !== undefined) out[key] = value;
  return out;
}

function staticAttr(node: Extract<Node, { k: 'el' }>, name: string): string | undefined {
  const attr = node.attrs.find((a) => a.name === name);
  return attr && attr.value.k === 'static' && typeof attr.value.v === 'string' ? attr.value.v : undefined;
}

/** `data-order-id` → `orderId`, as the platform builds the dataset. */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_all, letter: string) => letter.toUpperCase());
}
