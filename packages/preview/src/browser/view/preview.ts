// The view's controller: one document (an iframe, as the platform gives each page its own web view) per
// page of the stack, rendering when the worker sends data, sending the worker what rendering found (new
// components, changed props, removed components, what has been drawn) and the person's events.
import type { AppBundle, PreviewProblem } from '../shared/ir';
import { parsePath, setAtPath } from '../shared/path';
import type { SystemInfo, ToView, ToWorker } from '../shared/protocol';
import { BASE_CSS, listen, patchChildren } from './dom';
import { PhoneFrame, STATUS_BAR_HEIGHT, TITLE_BAR_HEIGHT } from './frame';
import { Overlay } from './overlay';
import { Renderer, type RenderPass, type ViewInstance, type VNode } from './render';

interface PageView {
  id: number;
  route: string;
  frame: HTMLIFrameElement;
  root: Element;
  instance: ViewInstance;
  components: Map<string, ViewInstance>;
  vnodes: VNode[];
  title?: string;
  titleColour?: string;
}

/** Components get ids far from the worker's page ids. */
const FIRST_COMPONENT_ID = 1_000_000;

export interface PreviewOptions {
  bundle: AppBundle;
  worker: Worker;
  storagePrefix: string;
  launch: { path?: string; query: Record<string, string> };
}

export class Preview {
  readonly frame: PhoneFrame;
  readonly overlay: Overlay;
  private readonly pages: PageView[] = [];
  private readonly index = new Map<number, { page: PageView; instance: ViewInstance }>();
  private readonly dirty = new Set<PageView>();
  private flushing = false;
  private nextComponent = FIRST_COMPONENT_ID;
  private readonly sjsModules = new Map<string, { exports: unknown }>();
  private readonly bundle: AppBundle;
  private readonly worker: Worker;
  /** Resolves once the first page has been drawn with its data. */
  readonly firstPaint: Promise<void>;
  private painted!: () => void;
  private renders = 0;
  private lastRenderAt = 0;

  constructor(private readonly options: PreviewOptions) {
    this.bundle = options.bundle;
    this.worker = options.worker;
    const width = this.bundle.width;
    this.frame = new PhoneFrame(width, Math.round((width * 812) / 375), () => this.post({ t: 'back' }));
    this.overlay = new Overlay(this.frame.device);
    this.firstPaint = new Promise((resolve) => (this.painted = resolve));
    for (const problem of this.bundle.problems) this.overlay.add(problem);
    this.worker.addEventListener('message', (event: MessageEvent<ToView>) => this.receive(event.data));
    this.worker.addEventListener('error', (event) =>
      this.problem({ code: 'PREVIEW', message: `the preview's worker failed: ${event.message}` }),
    );
  }

  start(): void {
    const storage: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i) as string;
      if (key.startsWith(this.options.storagePrefix))
        storage[key.slice(this.options.storagePrefix.length)] = localStorage.getItem(key) as string;
    }
    this.post({ t: 'boot', bundle: this.bundle, storage, system: this.systemInfo(), launch: this.options.launch });
  }

  /** What tests and scripts read: the routes of the stack, the problems, how many renders ran and when the last did (ms since the epoch). */
  state(): { routes: string[]; drawn: string[]; problems: PreviewProblem[]; renders: number; lastRenderAt: number } {
    return {
      routes: this.pages.map((page) => page.route),
      // Pages drawn with every component inside them (what onReady waits for).
      drawn: this.pages.filter((page) => page.instance.acknowledged !== -1).map((page) => page.route),
      problems: this.overlay.all(),
      renders: this.renders,
      lastRenderAt: this.lastRenderAt,
    };
  }

  private systemInfo(): SystemInfo {
    const width = this.frame.width;
    const height = this.frame.height;
    return {
      windowWidth: width,
      windowHeight: height - STATUS_BAR_HEIGHT - TITLE_BAR_HEIGHT,
      screenWidth: width,
      screenHeight: height,
      pixelRatio: window.devicePixelRatio || 2,
      statusBarHeight: STATUS_BAR_HEIGHT,
      titleBarHeight: TITLE_BAR_HEIGHT,
      language: navigator.language || 'en',
      platform: 'iOS',
      system: '16.0',
      model: 'minipay preview',
      brand: 'minipay',
      version: '10.5.0',
      app: 'minipay-preview',
      fontSizeSetting: 16,
    };
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  problem(problem: PreviewProblem, fromWorker = false): void {
    this.overlay.add(problem, fromWorker);
  }

  private receive(message: ToView): void {
    switch (message.t) {
      case 'page':
        if (message.op === 'push') this.pushPage(message.id, message.route, message.data, message.methods);
        else if (message.op === 'pop') this.popPage(message.id);
        else this.showTop();
        return;
      case 'ready': {
        const entry = this.index.get(message.id);
        if (!entry) return;
        entry.instance.data = message.data;
        entry.instance.methods = new Set(message.methods);
        entry.instance.defaults = message.defaults;
        this.markDirty(entry.page);
        return;
      }
      case 'update': {
        const entry = this.index.get(message.id);
        if (!entry || !entry.instance.data) return;
        for (const [key, value] of message.patch) setAtPath(entry.instance.data, parsePath(key), value);
        entry.instance.seq = message.seq;
        this.markDirty(entry.page);
        return;
      }
      case 'call':
        this.call(message.call, message.api, message.options);
        return;
      case 'problem':
        this.problem(message.problem, true);
        return;
      case 'storage':
        if (message.value === null) localStorage.removeItem(this.options.storagePrefix + message.key);
        else localStorage.setItem(this.options.storagePrefix + message.key, message.value);
        return;
    }
  }

  private call(call: number, api: string, options: Record<string, unknown>): void {
    let result: Promise<unknown>;
    if (api === 'setNavigationBar') {
      const page = this.pages.find((p) => p.id === options.page) ?? this.pages[this.pages.length - 1];
      if (page) {
        if (typeof options.title === 'string') page.title = options.title;
        if (typeof options.backgroundColor === 'string') page.titleColour = options.backgroundColor;
        this.updateTitle();
      }
      result = Promise.resolve({});
    } else if (api === 'selectorQuery') {
      result = Promise.resolve(this.selectorQuery(options));
    } else {
      result = this.frame.call(api, options);
    }
    result.then(
      (value) => this.post({ t: 'reply', call, ok: true, value }),
      (error: unknown) => this.post({ t: 'reply', call, ok: false, value: error }),
    );
  }

  private selectorQuery(options: Record<string, unknown>): unknown[] {
    const page = this.pages.find((p) => p.id === options.page) ?? this.pages[this.pages.length - 1];
    const doc = page?.frame.contentDocument;
    const operations = (options.operations ?? []) as Array<{
      selector: string;
      all: boolean;
      fields: 'rect' | 'scroll';
    }>;
    return operations.map((operation) => {
      if (!doc) return null;
      if (operation.selector === 'viewport') {
        const view = doc.documentElement;
        return operation.fields === 'rect'
          ? {
              width: view.clientWidth,
              height: view.clientHeight,
              top: 0,
              left: 0,
              right: view.clientWidth,
              bottom: view.clientHeight,
            }
          : { scrollTop: view.scrollTop || doc.body.scrollTop, scrollLeft: view.scrollLeft || doc.body.scrollLeft };
      }
      const describe = (element: Element) => {
        if (operation.fields === 'scroll') return { scrollTop: element.scrollTop, scrollLeft: element.scrollLeft };
        const rect = element.getBoundingClientRect();
        return {
          id: element.id,
          dataset: { ...(element as HTMLElement).dataset },
          left: rect.left,
          top: rect.top,
          right: rect.right,
          bottom: rect.bottom,
          width: rect.width,
          height: rect.height,
        };
      };
      try {
        if (operation.all) return Array.from(doc.querySelectorAll(operation.selector)).map(describe);
        const found = doc.querySelector(operation.selector);
        return found ? describe(found) : null;
      } catch {
        return null;
      }
    });
  }

  // ---- the page stack -----------------------------------------------------------------------------

  private pushPage(id: number, route: string, data: Record<string, unknown>, methods: string[]): void {
    const entry = this.bundle.pages[route];
    const frame = document.createElement('iframe');
    frame.className = 'preview-page';
    frame.setAttribute('data-route', route);
    frame.setAttribute('data-page-id', String(id));
    frame.title = route;
    this.frame.pages.append(frame);
    const doc = frame.contentDocument as Document;
    doc.open();
    doc.write('<!doctype html><html><head><meta charset="utf-8"></head><body><page></page></body></html>');
    doc.close();
    doc.documentElement.setAttribute('data-width', String(this.bundle.width));
    const base = doc.createElement('style');
    base.textContent = BASE_CSS;
    const css = doc.createElement('style');
    css.setAttribute('data-source', `${route} (app.acss, its components, ${route}.acss)`);
    css.textContent = entry?.css ?? '';
    doc.head.append(base, css);
    const root = doc.querySelector('page') as Element;
    // A web font the page's styles name that cannot be fetched (offline, or no CORS) leaves its glyphs as
    // boxes, as it would on a device without the network: say which, on the console only.
    doc.fonts.addEventListener('loadingerror', (event) => {
      for (const face of (event as FontFaceSetLoadEvent).fontfaces) {
        console.warn(
          `[minipay-preview] ${route}: the font "${face.family}" could not be loaded from its @font-face url; text in it shows as boxes`,
        );
      }
    });
    const instance: ViewInstance = {
      id,
      kind: 'page',
      path: route,
      template: entry?.template ?? `${route}.axml`,
      data,
      methods: new Set(methods),
      props: {},
      wire: '',
      owner: 0,
      key: 'page',
      seq: 0,
      acknowledged: -1,
    };
    const page: PageView = { id, route, frame, root, instance, components: new Map(), vnodes: [] };
    listen(root, (binding, event) =>
      this.post({
        t: 'event',
        owner: binding.owner,
        handler: binding.handler,
        event,
        file: binding.file,
        line: binding.line,
      }),
    );
    this.pages.push(page);
    this.index.set(id, { page, instance });
    this.showTop();
    this.markDirty(page);
  }

  private popPage(id: number): void {
    const at = this.pages.findIndex((page) => page.id === id);
    if (at === -1) return;
    const [page] = this.pages.splice(at, 1) as [PageView];
    const ids = [...page.components.values()].map((component) => component.id);
    for (const componentId of ids) this.index.delete(componentId);
    this.index.delete(page.id);
    this.dirty.delete(page);
    if (ids.length) this.post({ t: 'unmount', ids });
    page.frame.remove();
    this.showTop();
  }

  private showTop(): void {
    this.pages.forEach((page, index) => {
      page.frame.hidden = index !== this.pages.length - 1;
    });
    this.frame.setBack(this.pages.length > 1);
    this.updateTitle();
  }

  private updateTitle(): void {
    const top = this.pages[this.pages.length - 1];
    if (!top) return;
    const window = (this.bundle.appJson.window ?? {}) as Record<string, unknown>;
    const json = this.bundle.pages[top.route]?.json ?? {};
    const title =
      top.title ?? (json.defaultTitle as string | undefined) ?? (window.defaultTitle as string | undefined) ?? '';
    const colour =
      top.titleColour ??
      (json.titleBarColor as string | undefined) ??
      (window.titleBarColor as string | undefined) ??
      '#ffffff';
    this.frame.setTitle(title, colour);
  }

  // ---- rendering ----------------------------------------------------------------------------------

  private markDirty(page: PageView): void {
    this.dirty.add(page);
    if (this.flushing) return;
    this.flushing = true;
    // Updates arriving together are drawn together.
    setTimeout(() => {
      this.flushing = false;
      const pages = [...this.dirty];
      this.dirty.clear();
      for (const dirtyPage of pages) if (this.pages.includes(dirtyPage)) this.render(dirtyPage);
    }, 0);
  }

  private sjs(path: string): unknown {
    const cached = this.sjsModules.get(path);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    this.sjsModules.set(path, module);
    const code = this.bundle.sjs[path];
    if (code === undefined) return module.exports;
    try {
      const factory = (0, eval)(`(function (module, exports, require) {${code}\n})\n//# sourceURL=app:///${path}`) as (
        ...args: unknown[]
      ) => void;
      factory(module, module.exports, (target: string) => this.sjs(target));
    } catch (error) {
      this.problem({ code: 'SJS', file: path, message: `running ${path} threw: ${(error as Error).message}` });
    }
    return module.exports;
  }

  private render(page: PageView): void {
    const pass: RenderPass = { created: [], propsChanged: [], seen: new Set(), rendered: [], children: new Map() };
    const renderer = new Renderer({
      bundle: this.bundle,
      components: page.components,
      page: page.instance,
      nextComponentId: () => this.nextComponent++,
      sjs: (path) => this.sjs(path),
      problem: (problem) => this.problem(problem),
    });
    const vnodes = renderer.renderPage(pass);
    patchChildren(page.root, page.vnodes, vnodes);
    page.vnodes = vnodes;
    this.renders++;
    this.lastRenderAt = Date.now();

    const removed = [...page.components.values()].filter((component) => !pass.seen.has(component.id));
    for (const component of removed) {
      page.components.delete(component.key);
      this.index.delete(component.id);
    }
    if (removed.length) this.post({ t: 'unmount', ids: removed.map((component) => component.id) });
    if (pass.created.length) {
      for (const component of pass.created) this.index.set(component.id, { page, instance: component });
      this.post({
        t: 'create',
        items: pass.created.map((component) => {
          const ref = (component as ViewInstance & { ref?: string }).ref;
          return {
            id: component.id,
            path: component.path,
            props: JSON.parse(component.wire) as Record<string, unknown>,
            owner: component.owner,
            page: page.id,
            ...(ref ? { ref } : {}),
          };
        }),
      });
    }
    if (pass.propsChanged.length) {
      this.post({
        t: 'props',
        items: pass.propsChanged.map((component) => ({
          id: component.id,
          props: JSON.parse(component.wire) as Record<string, unknown>,
        })),
      });
    }
    // Acknowledge what is drawn. A first render counts only once every component inside it has drawn its
    // own (so didMount runs inside out, and a page's onReady after its components'); later ones at once.
    const acknowledged: Array<{ id: number; seq: number }> = [];
    for (const instance of [...pass.rendered].reverse()) {
      if (instance.acknowledged === -1) {
        const inside = pass.children.get(instance.id) ?? [];
        if (inside.some((child) => child.acknowledged === -1)) continue;
      } else if (instance.acknowledged === instance.seq) continue;
      instance.acknowledged = instance.seq;
      acknowledged.push({ id: instance.id, seq: instance.seq });
    }
    if (acknowledged.length) this.post({ t: 'rendered', items: acknowledged });
    if (page.instance.acknowledged !== -1 && page === this.pages[0]) this.painted();
  }
}
