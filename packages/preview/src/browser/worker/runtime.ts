// The logic side of the platform in the worker: App, Page and Component (component2) registration, the
// instances and their lifecycles, setData, the page stack and event dispatch. The view renders; this file
// decides what the data is and when each lifecycle runs:
//   page:      onLoad(query) → onShow → (first render) → onReady; onHide / onShow; onUnload
//   component: onInit → deriveDataFromProps(props) → (first render) → didMount;
//              new props → deriveDataFromProps(nextProps) → (render) → didUpdate(prevProps, prevData);
//              setData → (render) → didUpdate(prevProps, prevData); removed → didUnmount
import type { AppBundle } from '../shared/ir';
import { PathError, parsePath, type PathPart } from '../shared/path';
import { isFunctionRef, type ViewEvent } from '../shared/protocol';
import { CycleError, sanitize, type Dropped } from '../shared/sanitize';
import { locate, post, report, reportError } from './channel';
import { ModuleLoader, RequireError } from './loader';

type Fn = (...args: any[]) => any;
type Options = Record<string, any>;

const COMPONENT_LIFECYCLES = [
  'onInit',
  'deriveDataFromProps',
  'didMount',
  'didUpdate',
  'didUnmount',
  'onError',
] as const;
const PAGE_STACK_LIMIT = 10;

interface Instance {
  id: number;
  kind: 'page' | 'component';
  /** The `.js` file, for messages. */
  file: string;
  /** `page pages/x/index` / `component components/y/index`, for messages. */
  name: string;
  /** The `this` of the mini program's code. */
  self: Record<string, any>;
  /** Component lifecycles, mixins' first. */
  lifecycles: Partial<Record<(typeof COMPONENT_LIFECYCLES)[number], Fn[]>>;
  route?: string;
  ref?: { owner: number; method: string };
  seq: number;
  acked: number;
  callbacks: Array<{ seq: number; fn: Fn }>;
  /** Sent to the view: setData goes out as updates from now on. */
  ready: boolean;
  mounted: boolean;
  pendingUpdate?: { prevProps: Record<string, unknown>; prevData: Record<string, unknown>; seq: number };
  dead: boolean;
}

export interface LaunchOptions {
  path?: string;
  query: Record<string, string>;
}

export class Runtime {
  private nextId = 1;
  private readonly instances = new Map<number, Instance>();
  private readonly stack: Instance[] = [];
  private readonly pageOptions = new Map<string, Options>();
  private readonly componentOptions = new Map<string, Options>();
  private appOptions: Options | undefined;
  private registering: { kind: 'app' | 'page' | 'component'; path: string } | undefined;
  private readonly functionProps = new Map<string, Fn>();
  loader!: ModuleLoader;

  constructor(
    private readonly bundle: AppBundle,
    private readonly my: Record<string, any>,
  ) {}

  /** The globals every file of the folder gets. */
  globals() {
    return {
      App: (options: Options) => this.registerApp(options),
      Page: (options: Options) => this.registerPage(options),
      Component: (options: Options) => this.registerComponent(options),
      getApp: () => this.appOptions,
      getCurrentPages: () => this.stack.map((page) => page.self),
      my: this.my,
    };
  }

  boot(launch: LaunchOptions): void {
    const globals = this.globals();
    Object.assign(globalThis, globals);
    this.loader = new ModuleLoader(this.bundle.scripts, globals);
    this.loadFile('app', 'app', 'app.js');
    for (const path of Object.keys(this.bundle.components)) this.loadFile('component', path, `${path}.js`);
    for (const route of this.bundle.appJson.pages) this.loadFile('page', route, `${route}.js`);
    const first = launch.path ?? this.bundle.appJson.pages[0];
    const launchOptions = { path: first, query: launch.query, scene: 1000, referrerInfo: {} };
    if (this.appOptions) {
      this.callApp('onLaunch', launchOptions);
      this.callApp('onShow', launchOptions);
    }
    if (!first) return;
    try {
      this.openPage(`/${first}${queryString(launch.query)}`, 'relaunch');
    } catch (error) {
      report({ code: 'LAUNCH', message: `the launch page ${first} cannot open: ${(error as Error).message}` });
    }
  }

  private loadFile(kind: 'app' | 'page' | 'component', path: string, file: string): void {
    if (!this.loader.has(file)) return; // the compiler reported it
    this.registering = { kind, path };
    try {
      this.loader.load(file);
    } catch (error) {
      if (error instanceof RequireError) {
        const where = locate(error);
        report({
          code: 'REQUIRE',
          file: error.from,
          ...(where.file === error.from && where.line ? { line: where.line } : {}),
          message: error.message,
        });
      } else reportError('MODULE', `running ${file} threw`, error, file);
      return;
    } finally {
      this.registering = undefined;
    }
    const registered =
      kind === 'app' ? this.appOptions : kind === 'page' ? this.pageOptions.get(path) : this.componentOptions.get(path);
    if (!registered) {
      const call = kind === 'app' ? 'App()' : kind === 'page' ? 'Page()' : 'Component()';
      report({ code: 'NOT_REGISTERED', file, message: `${file} did not call ${call}` });
    }
  }

  private registerApp(options: Options): void {
    if (this.registering?.kind !== 'app') throw new Error('App() must be called in app.js');
    this.appOptions = options ?? {};
  }

  private registerPage(options: Options): void {
    if (this.registering?.kind !== 'page')
      throw new Error(
        `Page() must be called in a page's .js (one of app.json's pages), not in ${this.registering?.path ?? 'this file'}`,
      );
    this.pageOptions.set(this.registering.path, options ?? {});
  }

  private registerComponent(options: Options): void {
    if (this.registering?.kind !== 'component')
      throw new Error("Component() must be called in a component's .js (one named in a usingComponents)");
    this.componentOptions.set(this.registering.path, options ?? {});
  }

  private callApp(name: string, ...args: unknown[]): void {
    const fn = this.appOptions?.[name];
    if (typeof fn !== 'function') return;
    try {
      guardPromise(fn.apply(this.appOptions, args), (error) =>
        reportError('LIFECYCLE', `App ${name} rejected`, error, 'app.js'),
      );
    } catch (error) {
      reportError('LIFECYCLE', `App ${name} threw`, error, 'app.js');
    }
  }

  // ---- instances ----------------------------------------------------------------------------------

  private invoke(instance: Instance, fn: Fn | undefined, what: string, args: unknown[]): unknown {
    if (typeof fn !== 'function') return undefined;
    try {
      const result = fn.apply(instance.self, args);
      guardPromise(result, (error) =>
        reportError('LIFECYCLE', `${what} of ${instance.name} rejected`, error, instance.file),
      );
      return result;
    } catch (error) {
      reportError('LIFECYCLE', `${what} of ${instance.name} threw`, error, instance.file);
      return undefined;
    }
  }

  private lifecycle(
    instance: Instance,
    name: (typeof COMPONENT_LIFECYCLES)[number] | string,
    args: unknown[] = [],
  ): void {
    if (instance.kind === 'component') {
      for (const fn of instance.lifecycles[name as (typeof COMPONENT_LIFECYCLES)[number]] ?? [])
        this.invoke(instance, fn, name, args);
    } else {
      this.invoke(instance, instance.self[name], name, args);
    }
  }

  private setData(instance: Instance, patch: unknown, callback?: Fn): void {
    if (instance.dead) {
      console.warn(`[minipay-preview] setData on ${instance.name} after it was unloaded: ignored`);
      return;
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
      throw new TypeError(`${instance.name}: setData expects an object of keys (paths) and values`);
    if (instance.kind === 'component' && instance.mounted && !instance.pendingUpdate) {
      instance.pendingUpdate = { prevProps: instance.self.props, prevData: instance.self.data, seq: 0 };
    }
    const entries: Array<[string, unknown]> = [];
    for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
      let path: PathPart[];
      try {
        path = parsePath(key);
      } catch (error) {
        if (!(error instanceof PathError)) throw error;
        reportError('SET_DATA', `${instance.name}`, error, instance.file);
        continue;
      }
      instance.self.data = setAtPathCopy(instance.self.data, path, value);
      if (instance.ready) {
        const clean = this.sendable(instance, key, value);
        if (clean.ok) entries.push([key, clean.value]);
      }
    }
    if (!instance.ready) {
      if (callback) instance.callbacks.push({ seq: 0, fn: callback });
      return;
    }
    instance.seq += 1;
    post({ t: 'update', id: instance.id, seq: instance.seq, patch: entries });
    if (callback) instance.callbacks.push({ seq: instance.seq, fn: callback });
    if (instance.pendingUpdate) instance.pendingUpdate.seq = instance.seq;
  }

  /** The value as the view may receive it; warns (naming the instance and key path) about what the platform would drop. */
  private sendable(instance: Instance, key: string, value: unknown): { ok: true; value: unknown } | { ok: false } {
    const dropped: Dropped[] = [];
    try {
      const clean = sanitize(value, key, dropped);
      for (const item of dropped) {
        report({
          code: 'SET_DATA',
          level: 'warning',
          file: instance.file,
          message: `setData on ${instance.name}: ${item.path} is ${item.what}; the view never sees it`,
        });
      }
      return { ok: true, value: clean };
    } catch (error) {
      if (!(error instanceof CycleError)) throw error;
      report({
        code: 'SET_DATA',
        file: instance.file,
        message: `setData on ${instance.name}: ${key} has ${error.message}; the platform cannot send it to the view, so ${key} was not set there`,
      });
      return { ok: false };
    }
  }

  private initialData(instance: Instance): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(instance.self.data ?? {})) {
      const clean = this.sendable(instance, key, value);
      if (clean.ok && clean.value !== undefined) out[key] = clean.value;
    }
    return out;
  }

  private baseInstance(kind: 'page' | 'component', path: string, file: string): Instance {
    const id = this.nextId++;
    const instance: Instance = {
      id,
      kind,
      file,
      name: `${kind} ${path}`,
      self: {},
      lifecycles: {},
      seq: 0,
      acked: 0,
      callbacks: [],
      ready: false,
      mounted: false,
      dead: false,
    };
    const self = instance.self;
    self.$id = id;
    self.setData = (patch: unknown, callback?: Fn) => this.setData(instance, patch, callback);
    self.$spliceData = (operations: Record<string, unknown[]>, callback?: Fn) => {
      const patch: Record<string, unknown> = {};
      for (const [key, args] of Object.entries(operations ?? {})) {
        const current = readPath(self.data, parsePath(key));
        const list = Array.isArray(current) ? [...current] : [];
        const [start = 0, deleteCount = 0, ...items] = (args ?? []) as [number, number, ...unknown[]];
        list.splice(start, deleteCount, ...items);
        patch[key] = list;
      }
      this.setData(instance, patch, callback);
    };
    self.$batchedUpdates = (fn: Fn) => fn();
    this.instances.set(id, instance);
    return instance;
  }

  private createPage(route: string, query: Record<string, string>): Instance {
    const options = this.pageOptions.get(route) ?? {};
    const instance = this.baseInstance('page', route, `${route}.js`);
    instance.route = route;
    const self = instance.self;
    for (const [key, value] of Object.entries(options)) {
      if (key === 'data') continue;
      self[key] = typeof value === 'function' ? value : deepCopy(value);
    }
    self.data = deepCopy(typeof options.data === 'function' ? options.data() : (options.data ?? {}));
    self.route = route;
    self.$viewId = instance.id;
    self.options = query;
    return instance;
  }

  private methodsOf(instance: Instance): string[] {
    const names: string[] = [];
    for (const key of Object.keys(instance.self)) if (typeof instance.self[key] === 'function') names.push(key);
    return names;
  }

  /** Opens a page: `push` (navigateTo), `redirect` (redirectTo) or `relaunch` (reLaunch). */
  openPage(url: string, mode: 'push' | 'redirect' | 'relaunch'): void {
    const { route, query } = this.parseUrl(url);
    if (!this.pageOptions.has(route))
      throw new Error(`no page ${route}: it is not in app.json's pages or its .js did not call Page()`);
    if (mode === 'push' && this.stack.length >= PAGE_STACK_LIMIT)
      throw new Error(`the page stack is full (${PAGE_STACK_LIMIT} pages): use redirectTo or navigateBack`);
    if (mode === 'redirect') {
      const top = this.stack.pop();
      if (top) this.unloadPage(top);
    } else if (mode === 'relaunch') {
      while (this.stack.length) this.unloadPage(this.stack.pop() as Instance);
    } else {
      const top = this.stack[this.stack.length - 1];
      if (top) this.lifecycle(top, 'onHide');
    }
    const page = this.createPage(route, query);
    this.stack.push(page);
    this.lifecycle(page, 'onLoad', [query]);
    page.ready = true;
    post({ t: 'page', op: 'push', id: page.id, route, data: this.initialData(page), methods: this.methodsOf(page) });
    this.lifecycle(page, 'onShow');
  }

  navigateBack(delta: number): void {
    const count = Math.min(Math.max(1, Math.floor(delta) || 1), this.stack.length - 1);
    if (count < 1) return; // on the first page there is nothing to go back to
    for (let i = 0; i < count; i++) this.unloadPage(this.stack.pop() as Instance);
    const top = this.stack[this.stack.length - 1] as Instance;
    post({ t: 'page', op: 'show', id: top.id });
    this.lifecycle(top, 'onShow');
  }

  private unloadPage(page: Instance): void {
    this.lifecycle(page, 'onUnload');
    page.dead = true;
    this.instances.delete(page.id);
    post({ t: 'page', op: 'pop', id: page.id });
  }

  currentRoute(): string | undefined {
    return this.stack[this.stack.length - 1]?.route;
  }

  currentPageId(): number | undefined {
    return this.stack[this.stack.length - 1]?.id;
  }

  parseUrl(url: string): { route: string; query: Record<string, string> } {
    if (typeof url !== 'string' || url === '') throw new Error('url must be a page path, e.g. /pages/index/index?id=1');
    const [path = '', search = ''] = url.split('?');
    const base = this.currentRoute();
    let route: string;
    if (path.startsWith('/')) route = path.slice(1);
    else {
      const parts = base ? base.split('/').slice(0, -1) : [];
      for (const part of path.split('/')) {
        if (part === '..') parts.pop();
        else if (part !== '.' && part !== '') parts.push(part);
      }
      route = parts.join('/');
    }
    const query: Record<string, string> = {};
    for (const pair of search.split('&')) {
      if (!pair) continue;
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      const value = equals === -1 ? '' : pair.slice(equals + 1);
      query[safeDecode(key)] = safeDecode(value);
    }
    return { route: route.replace(/\.(js|axml)$/, ''), query };
  }

  // ---- components ---------------------------------------------------------------------------------

  private functionProp(ref: { __minipayFn: string; owner: number }): Fn {
    const key = `${ref.owner}:${ref.__minipayFn}`;
    let fn = this.functionProps.get(key);
    if (!fn) {
      fn = (...args: unknown[]) => {
        const owner = this.instances.get(ref.owner);
        if (!owner) return undefined;
        const method = owner.self[ref.__minipayFn];
        if (typeof method !== 'function') {
          report({
            code: 'MISSING_HANDLER',
            file: owner.file,
            message: `${owner.name} has no method ${ref.__minipayFn}, which its template passes to a component`,
          });
          return undefined;
        }
        return method.apply(owner.self, args);
      };
      this.functionProps.set(key, fn);
    }
    return fn;
  }

  private resolveProps(defaults: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
    const props: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(given)) {
      const resolved = isFunctionRef(value) ? this.functionProp(value) : value;
      // As with React's defaultProps, an undefined prop takes the default.
      if (resolved !== undefined) props[key] = resolved;
    }
    return props;
  }

  createComponent(item: {
    id: number;
    path: string;
    props: Record<string, unknown>;
    owner: number;
    page: number;
    ref?: string;
  }): void {
    const options = this.componentOptions.get(item.path);
    const merged = mergeComponent(options ?? {});
    const instance = this.baseInstance('component', item.path, `${item.path}.js`);
    // The view chose the id: keep the two in step.
    this.instances.delete(instance.id);
    this.nextId--;
    instance.id = item.id;
    instance.self.$id = item.id;
    this.instances.set(item.id, instance);
    instance.lifecycles = merged.lifecycles;
    if (item.ref) instance.ref = { owner: item.owner, method: item.ref };
    const self = instance.self;
    for (const [key, value] of Object.entries(merged.rest))
      self[key] = typeof value === 'function' ? value : deepCopy(value);
    for (const [name, fn] of Object.entries(merged.methods)) self[name] = fn;
    self.is = item.path;
    self.$page = this.instances.get(item.page)?.self;
    self.props = this.resolveProps(merged.props, item.props);
    self.data = deepCopy(merged.data);
    this.lifecycle(instance, 'onInit');
    this.lifecycle(instance, 'deriveDataFromProps', [self.props]);
    instance.ready = true;
    const defaults: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(merged.props)) {
      // Function defaults (onChange: () => {}) show in the template as truthy, like a function prop.
      defaults[key] = typeof value === 'function' ? { __minipayFn: '', owner: 0 } : sanitize(value, key, []);
    }
    post({
      t: 'ready',
      id: instance.id,
      data: this.initialData(instance),
      methods: this.methodsOf(instance),
      defaults,
    });
  }

  updateProps(id: number, given: Record<string, unknown>): void {
    const instance = this.instances.get(id);
    if (!instance || instance.kind !== 'component') return;
    const options = this.componentOptions.get(instance.self.is as string) ?? {};
    const nextProps = this.resolveProps(mergeComponent(options).props, given);
    if (instance.mounted && !instance.pendingUpdate) {
      instance.pendingUpdate = { prevProps: instance.self.props, prevData: instance.self.data, seq: 0 };
    }
    this.lifecycle(instance, 'deriveDataFromProps', [nextProps]);
    instance.self.props = nextProps;
    // An empty update, so the view's acknowledgement of this render comes back and didUpdate runs.
    this.setData(instance, {});
  }

  unmount(ids: number[]): void {
    for (const id of ids) {
      const instance = this.instances.get(id);
      if (!instance || instance.kind !== 'component') continue;
      this.lifecycle(instance, 'didUnmount');
      instance.dead = true;
      this.instances.delete(id);
    }
  }

  rendered(id: number, seq: number): void {
    const instance = this.instances.get(id);
    if (!instance) return;
    instance.acked = Math.max(instance.acked, seq);
    if (!instance.mounted) {
      instance.mounted = true;
      if (instance.kind === 'page') this.lifecycle(instance, 'onReady');
      else {
        this.lifecycle(instance, 'didMount');
        this.attachRef(instance);
      }
    }
    const due = instance.callbacks.filter((entry) => entry.seq <= instance.acked);
    instance.callbacks = instance.callbacks.filter((entry) => entry.seq > instance.acked);
    for (const entry of due) this.invoke(instance, entry.fn, 'a setData callback', []);
    const pending = instance.pendingUpdate;
    if (pending && instance.acked >= pending.seq) {
      instance.pendingUpdate = undefined;
      if (instance.kind === 'component') this.lifecycle(instance, 'didUpdate', [pending.prevProps, pending.prevData]);
    }
  }

  private attachRef(instance: Instance): void {
    if (!instance.ref) return;
    const owner = this.instances.get(instance.ref.owner);
    const method = owner?.self[instance.ref.method];
    if (!owner) return;
    if (typeof method !== 'function') {
      report({
        code: 'MISSING_HANDLER',
        file: owner.file,
        message: `${owner.name} has no method ${instance.ref.method} for ref="${instance.ref.method}"`,
      });
      return;
    }
    // A component may choose what its ref gives (a `ref()` method); by default it is the instance.
    const value =
      typeof instance.self.ref === 'function' ? this.invoke(instance, instance.self.ref, 'ref', []) : instance.self;
    this.invoke(owner, method, `ref ${instance.ref.method}`, [value]);
  }

  dispatch(owner: number, handler: string, event: ViewEvent, where: { file?: string; line?: number }): void {
    const instance = this.instances.get(owner);
    if (!instance) return;
    const fn = instance.self[handler];
    if (typeof fn !== 'function') {
      report({
        code: 'MISSING_HANDLER',
        ...(where.file ? { file: where.file } : { file: instance.file }),
        ...(where.line ? { line: where.line } : {}),
        message: `${instance.name} has no method ${handler}, which its template binds to ${event.type}`,
      });
      return;
    }
    this.invoke(instance, fn, `${handler} (${event.type})`, [event]);
  }
}

function mergeComponent(options: Options): {
  props: Record<string, unknown>;
  data: Record<string, unknown>;
  methods: Record<string, Fn>;
  lifecycles: Partial<Record<(typeof COMPONENT_LIFECYCLES)[number], Fn[]>>;
  rest: Record<string, unknown>;
} {
  const out = {
    props: {} as Record<string, unknown>,
    data: {} as Record<string, unknown>,
    methods: {} as Record<string, Fn>,
    lifecycles: {} as Partial<Record<(typeof COMPONENT_LIFECYCLES)[number], Fn[]>>,
    rest: {} as Record<string, unknown>,
  };
  const apply = (source: Options, seen: Options[]) => {
    if (!source || typeof source !== 'object' || seen.includes(source)) return;
    for (const mixin of (source.mixins as Options[] | undefined) ?? []) apply(mixin, [...seen, source]);
    Object.assign(out.props, source.props ?? {});
    const data = typeof source.data === 'function' ? source.data() : source.data;
    Object.assign(out.data, data ?? {});
    Object.assign(out.methods, source.methods ?? {});
    for (const name of COMPONENT_LIFECYCLES)
      if (typeof source[name] === 'function') (out.lifecycles[name] ??= []).push(source[name]);
    for (const [key, value] of Object.entries(source)) {
      if (!['props', 'data', 'methods', 'mixins', ...COMPONENT_LIFECYCLES].includes(key)) out.rest[key] = value;
    }
  };
  apply(options, []);
  return out;
}

/** Page and component data start as a copy of the options' data (functions kept by reference). */
function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) out[key] = deepCopy(member);
    return out as T;
  }
  return value;
}

/** Sets a path on a copy of the containers along it: the previous `data` stays as it was (didUpdate's prevData). */
function setAtPathCopy(data: Record<string, unknown>, path: PathPart[], value: unknown): Record<string, unknown> {
  const copyOf = (container: unknown, nextIsIndex: boolean): Record<PathPart, unknown> => {
    if (Array.isArray(container)) return [...container] as unknown as Record<PathPart, unknown>;
    if (container && typeof container === 'object') return { ...(container as Record<PathPart, unknown>) };
    return (nextIsIndex ? [] : {}) as Record<PathPart, unknown>;
  };
  const root = copyOf(data, false);
  let target = root;
  for (let i = 0; i < path.length - 1; i++) {
    const part = path[i] as PathPart;
    const next = copyOf(target[part], typeof path[i + 1] === 'number');
    target[part] = next;
    target = next;
  }
  target[path[path.length - 1] as PathPart] = value;
  return root as Record<string, unknown>;
}

function readPath(data: unknown, path: PathPart[]): unknown {
  let current = data as Record<PathPart, unknown> | undefined;
  for (const part of path) current = current == null ? undefined : (current[part] as Record<PathPart, unknown>);
  return current;
}

function guardPromise(result: unknown, onRejected: (error: unknown) => void): void {
  if (result && typeof (result as Promise<unknown>).then === 'function')
    (result as Promise<unknown>).then(undefined, onRejected);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function queryString(query: Record<string, string>): string {
  const pairs = Object.entries(query).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}
