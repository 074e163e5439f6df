// Small mini programs written for one test, and a preview of one opened in the shared Chromium.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, FrameLocator, Page, Worker } from 'playwright-core';
import { startPreview, type PreviewOptions, type RunningPreview } from '../src';
import type { PreviewProblem } from '../src/browser/shared/ir';

// page.evaluate callbacks run in the browser; this package's tests compile without the DOM lib.
declare const window: any;

export const TEST_OUTPUT = join(__dirname, '..', 'test-output');

const folders: string[] = [];

/** Writes a mini program into a temporary folder: `files` by path; app.json lists `pages/*\/index` found there when not given. */
export function writeMiniProgram(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'minipay-preview-'));
  folders.push(dir);
  const all = { ...files };
  if (!all['app.json']) {
    const pages = Object.keys(all)
      .filter((path) => /^pages\/.+\.axml$/.test(path))
      .map((path) => path.replace(/\.axml$/, ''));
    all['app.json'] = JSON.stringify({ pages, window: { defaultTitle: 'Fixture' } });
  }
  all['app.js'] ??= 'App({});';
  for (const path of Object.keys(all)) {
    if (path.startsWith('pages/') && path.endsWith('.axml')) {
      const base = path.replace(/\.axml$/, '');
      all[`${base}.js`] ??= 'Page({ data: {} });';
      all[`${base}.json`] ??= '{}';
    }
  }
  for (const [path, content] of Object.entries(all)) {
    const file = join(dir, ...path.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

export function removeFolders(): void {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Opened {
  preview: RunningPreview;
  page: Page;
  worker: Worker;
  /** The document of the page on top of the stack whose route is given. */
  frame(route: string): FrameLocator;
  problems(): Promise<PreviewProblem[]>;
  routes(): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts a preview of `dir` on a free port and opens it (optionally at a page, with a query) in a new page. */
export async function openPreview(
  browser: Browser,
  dir: string,
  options: {
    page?: string;
    query?: string;
    preview?: Partial<PreviewOptions>;
    viewport?: { width: number; height: number };
  } = {},
): Promise<Opened> {
  const preview = await startPreview({ dir, port: 0, watch: false, ...options.preview });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 460, height: 900 } });
  const search = new URLSearchParams();
  if (options.page) search.set('page', options.page);
  if (options.query) search.set('query', options.query);
  const workerStarted = page.waitForEvent('worker');
  await page.goto(`${preview.url}${search.size ? `?${search}` : ''}`);
  const worker = await workerStarted;
  await page.waitForFunction(() => !!window.__minipayPreview);
  return {
    preview,
    page,
    worker,
    frame: (route) => page.frameLocator(`iframe[data-route="${route}"]`),
    problems: () => page.evaluate(() => window.__minipayPreview.state().problems),
    routes: () => page.evaluate(() => window.__minipayPreview.state().routes),
    close: async () => {
      await page.close();
      await preview.close();
    },
  };
}

/** Waits until `check` holds, polling; fails naming `what`. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}
