// The preview's figures: the size of its own browser bundle (the view and the worker, as served, and minified +
// gzipped), and the time from `npm start` to the first page painted in a browser.
//
// How the time is taken: Chromium is already running (as a person's browser is); the clock starts when
// `npm start` is spawned (fresh dev home, free ports, the libraries already built, so it is the start a developer
// sees every day: the stack, the mini program build, the preview); the URL the stack prints is opened; "first
// paint" is the preview's own signal that the launch page and every component in it have drawn once with their
// data (what `onReady` waits for); "settled" is the last render before the page stays still for a second (the
// first page's requests answered and drawn). The mini program is built into a temporary folder (`--out-dir`), so
// mini-app/dist, the IDE's, is left as it was.
//   npm run build && npm run bench -w @minipay/preview      (MINIPAY_BENCH_JSON=<file> also writes the figures)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { npmCommand } from '../../../scripts/lib/npm-command.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const browserDir = join(here, '..', 'dist', 'browser');

async function bundleFigures() {
  const figures = { bytes: 0, minGzipBytes: 0 };
  for (const name of ['view.js', 'worker.js']) {
    const code = readFileSync(join(browserDir, name), 'utf8');
    const minified = await minify(code, { compress: true, mangle: true });
    figures.bytes += Buffer.byteLength(code);
    figures.minGzipBytes += gzipSync(minified.code ?? '', { level: 9 }).length;
  }
  return figures;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startToFirstPaint() {
  const { launchChromium } = await import(pathToFileURL(join(repo, 'packages', 'testing', 'dist', 'index.mjs')).href);
  const browser = await launchChromium();
  const home = mkdtempSync(join(tmpdir(), 'minipay-bench-preview-'));
  const env = {
    ...process.env,
    MINIPAY_HOME: home,
    MINIPAY_MERCHANT_PORT: String(await freePort()),
    MINIPAY_SANDBOX_PORT: String(await freePort()),
    MINIPAY_PREVIEW_PORT: String(await freePort()),
  };
  const started = Date.now();
  // npm-command.mjs: npm's own JavaScript with this node, no shell (npm.cmd cannot be spawned on Windows).
  const npm = npmCommand(['start', '--', '--out-dir', join(home, 'dist')]);
  const stack = spawn(npm.command, npm.args, {
    cwd: repo,
    env,
    detached: process.platform !== 'win32',
    shell: npm.shell,
  });
  let output = '';
  try {
    const url = await new Promise((resolve, reject) => {
      const onData = (chunk) => {
        output += chunk;
        const match = /mini program preview\s+(http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]);
      };
      stack.stdout.on('data', onData);
      stack.stderr.on('data', onData);
      stack.once('exit', (code) =>
        reject(new Error(`npm start exited (${code}) before printing the preview URL:\n${output}`)),
      );
      setTimeout(() => reject(new Error(`no preview URL after 180 s:\n${output}`)), 180_000).unref();
    });
    const printed = Date.now();
    const page = await browser.newPage();
    const opened = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => window.__minipayPreview !== undefined);
    await page.evaluate(() => window.__minipayPreview.firstPaint);
    const painted = Date.now();
    let last = await page.evaluate(() => window.__minipayPreview.state().lastRenderAt);
    for (;;) {
      await page.waitForTimeout(1000);
      const now = await page.evaluate(() => window.__minipayPreview.state().lastRenderAt);
      if (now === last) break;
      last = now;
    }
    return {
      startToUrlMs: printed - started,
      startToFirstPaintMs: painted - started,
      openToFirstPaintMs: painted - opened,
      startToSettledMs: last - started,
    };
  } finally {
    try {
      if (process.platform === 'win32') stack.kill();
      else process.kill(-stack.pid, 'SIGINT');
    } catch {
      // already gone
    }
    await new Promise((resolve) => (stack.exitCode !== null ? resolve() : stack.once('exit', resolve)));
    await browser.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const bundle = await bundleFigures();
const timing = await startToFirstPaint();
const figures = { bundleBytes: bundle.bytes, bundleMinGzipBytes: bundle.minGzipBytes, ...timing };
console.log(
  `preview browser bundle (view + worker): ${figures.bundleBytes} bytes as served, ${figures.bundleMinGzipBytes} bytes minified + gzipped`,
);
console.log(
  `npm start → preview URL printed ${timing.startToUrlMs} ms, → first page painted ${timing.startToFirstPaintMs} ms (${timing.openToFirstPaintMs} ms after opening the URL), → settled ${timing.startToSettledMs} ms`,
);
if (process.env.MINIPAY_BENCH_JSON) writeFileSync(process.env.MINIPAY_BENCH_JSON, JSON.stringify(figures));
