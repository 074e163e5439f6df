/**
 * A small mini program runtime for jest: `App`, `Page`, `getApp`, `getCurrentPages` and `my` as globals,
 * the app and its pages loaded from their real sources (compiled by jest's swc transform), a page stack
 * with the platform's lifecycles, and `setData` with path keys. Each runtime loads fresh module instances.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { FakeMy } from './fake-my';
import { applySetData } from './set-data';

export const SRC_DIR = join(__dirname, '..', '..', 'src');

type Handler = (...args: any[]) => unknown;
type Options = Record<string, unknown> & { data?: unknown };

export interface PageInstance {
  route: string;
  query: Record<string, string>;
  data: Record<string, any>;
  /** How many times setData ran (renders the view would have done). */
  renders: number;
  setData(patch: Record<string, unknown>, callback?: () => void): void;
  [member: string]: any;
}

export interface RuntimeOptions {
  my?: FakeMy;
  /** Set before the app is loaded, as the build would replace them: e.g. `{ __MINIPAY_MERCHANT_URL__: url }`. */
  buildGlobals?: Record<string, unknown>;
  /** Where app.json, app.ts|js and the pages are: the sources (default) or a built dist. */
  root?: string;
}

const GLOBALS = ['App', 'Page', 'getApp', 'getCurrentPages', 'my'] as const;

export class MiniProgramRuntime {
  readonly my: FakeMy;
  /** Errors thrown or rejected by lifecycles and handlers (a page's unhandled failure). */
  readonly errors: unknown[] = [];
  app: Record<string, any> | undefined;
  readonly pageOptions = new Map<string, Options>();
  private readonly stack: PageInstance[] = [];
  private appOptions: Options | undefined;
  private registering: string | undefined;
  private readonly saved = new Map<string, unknown>();
  private readonly buildGlobals: Record<string, unknown>;
  private readonly root: string;
  private closed = false;

  constructor(options: RuntimeOptions = {}) {
    this.my = options.my ?? new FakeMy();
    this.buildGlobals = options.buildGlobals ?? {};
    this.root = options.root ?? SRC_DIR;
    this.my.navigator = {
      navigateTo: (url) => this.schedule(() => this.navigateTo(url)),
      redirectTo: (url) => this.schedule(() => this.redirectTo(url)),
      navigateBack: (delta) => this.schedule(() => this.navigateBack(delta)),
      reLaunch: (url) => this.schedule(() => this.reLaunch(url)),
    };
  }

  /** The app.json of the sources (or of another root). */
  static appJson(root: string = SRC_DIR): { pages: string[] } {
    return JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
  }

  /** Installs the globals, loads app.ts and every page (as the platform does at start), runs onLaunch/onShow and opens the first page. */
  launch(options: { path?: string; query?: Record<string, string> } = {}): PageInstance {
    this.installGlobals();
    const pages = MiniProgramRuntime.appJson(this.root).pages;
    const ext = existsSync(join(this.root, 'app.ts')) ? '.ts' : '.js';
    jest.isolateModules(() => {
      require(join(this.root, `app${ext}`));
      for (const route of pages) {
        this.registering = route;
        try {
          require(join(this.root, `${route}${ext}`));
        } finally {
          this.registering = undefined;
        }
        if (!this.pageOptions.has(route)) throw new Error(`${route}.ts did not call Page()`);
      }
    });
    if (!this.appOptions) throw new Error('app.ts did not call App()');
    const app: Record<string, any> = {};
    for (const [key, value] of Object.entries(this.appOptions))
      app[key] = typeof value === 'function' ? value : clone(value);
    this.app = app;
    const route = options.path ?? (pages[0] as string);
    const launchOptions = { query: options.query ?? {}, path: route, scene: 1000, referrerInfo: {} };
    this.call(app, 'onLaunch', launchOptions);
    this.call(app, 'onShow', launchOptions);
    return this.open(route, options.query ?? {});
  }

  /** The page on top of the stack. */
  currentPage(): PageInstance {
    const page = this.stack[this.stack.length - 1];
    if (!page) throw new Error('no page is open');
    return page;
  }

  pages(): PageInstance[] {
    return [...this.stack];
  }

  /** Calls a page's handler as a tap would, returning what it returns (a promise for async handlers). */
  tap(handler: string, ...args: unknown[]): unknown {
    const page = this.currentPage();
    if (typeof page[handler] !== 'function') throw new Error(`${page.route} has no handler ${handler}`);
    return this.call(page, handler, ...args);
  }

  /** Waits (polling the event loop) until `predicate` holds; fails with `description` if it never does. */
  async waitFor(predicate: () => boolean, description: string, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.errors.length) throw new Error(`while waiting for ${description}: ${String(this.errors[0])}`);
      if (predicate()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits for the top page to be `route` and for `ready(page)` to hold. */
  async waitForPage(route: string, ready: (page: PageInstance) => boolean = () => true): Promise<PageInstance> {
    await this.waitFor(() => {
      const top = this.stack[this.stack.length - 1];
      return !!top && top.route === route && ready(top);
    }, `page ${route}`);
    return this.currentPage();
  }

  /** Unloads every page and restores the globals. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    while (this.stack.length) this.call(this.stack.pop() as PageInstance, 'onUnload');
    for (const name of [...GLOBALS, ...Object.keys(this.buildGlobals)]) {
      const previous = this.saved.get(name);
      if (previous === undefined) delete (globalThis as Record<string, unknown>)[name];
      else (globalThis as Record<string, unknown>)[name] = previous;
    }
  }

  private installGlobals(): void {
    const globals: Record<string, unknown> = {
      ...this.buildGlobals,
      my: this.my,
      App: (options: Options) => {
        if (this.appOptions) throw new Error('App() called twice');
        this.appOptions = options;
      },
      Page: (options: Options) => {
        if (!this.registering) throw new Error('Page() called outside a page module');
        this.pageOptions.set(this.registering, options);
      },
      getApp: () => {
        if (!this.app) throw new Error('getApp() before the app launched');
        return this.app;
      },
      getCurrentPages: () => this.pages(),
    };
    for (const [name, value] of Object.entries(globals)) {
      this.saved.set(name, (globalThis as Record<string, unknown>)[name]);
      (globalThis as Record<string, unknown>)[name] = value;
    }
  }

  private open(url: string, extraQuery: Record<string, string> = {}): PageInstance {
    const { route, query } = this.parseUrl(url);
    const options = this.pageOptions.get(route);
    if (!options) throw new Error(`no page ${route} in app.json`);
    const fullQuery = { ...query, ...extraQuery };
    const page = this.createPage(route, fullQuery, options);
    this.stack.push(page);
    this.call(page, 'onLoad', fullQuery);
    this.call(page, 'onShow');
    this.call(page, 'onReady');
    return page;
  }

  private navigateTo(url: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) this.call(top, 'onHide');
    this.open(url);
  }

  private redirectTo(url: string): void {
    const top = this.stack.pop();
    if (top) this.call(top, 'onUnload');
    this.open(url);
  }

  private navigateBack(delta: number): void {
    const count = Math.min(Math.max(1, delta), this.stack.length - 1);
    // On the first page there is nothing to go back to: the platform leaves it as it is.
    if (count < 1) return;
    for (let i = 0; i < count; i++) this.call(this.stack.pop() as PageInstance, 'onUnload');
    this.call(this.currentPage(), 'onShow');
  }

  private reLaunch(url: string): void {
    while (this.stack.length) this.call(this.stack.pop() as PageInstance, 'onUnload');
    this.open(url);
  }

  /** Navigation on the platform completes after the call returns. */
  private schedule(action: () => void): void {
    setTimeout(() => {
      if (this.closed) return;
      try {
        action();
      } catch (error) {
        this.errors.push(error);
      }
    }, 0);
  }

  private parseUrl(url: string): { route: string; query: Record<string, string> } {
    const [path = '', search = ''] = url.split('?');
    const base = this.stack.length ? posix.dirname(this.currentPage().route) : '';
    const route = path.startsWith('/') ? path.slice(1) : posix.normalize(posix.join(base, path));
    const query: Record<string, string> = {};
    for (const pair of search.split('&')) {
      if (!pair) continue;
      const [key = '', value = ''] = pair.split('=');
      query[decodeURIComponent(key)] = decodeURIComponent(value);
    }
    return { route, query };
  }

  private createPage(route: string, query: Record<string, string>, options: Options): PageInstance {
    const initial = typeof options.data === 'function' ? (options.data as Handler)() : options.data;
    const page = { route, query, renders: 0, data: clone(initial ?? {}) } as PageInstance;
    for (const [key, value] of Object.entries(options)) {
      if (key === 'data') continue;
      page[key] = typeof value === 'function' ? value : clone(value);
    }
    page.setData = (patch, callback) => {
      applySetData(page.data, patch);
      page.renders++;
      if (callback) setTimeout(callback, 0);
    };
    return page;
  }

  private call(target: Record<string, any>, name: string, ...args: unknown[]): unknown {
    const fn = target[name];
    if (typeof fn !== 'function') return undefined;
    try {
      const result = fn.apply(target, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, (error: unknown) => this.errors.push(error));
      }
      return result;
    } catch (error) {
      this.errors.push(error);
      throw error;
    }
  }
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
