import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrivateKey } from '@minipay/openapi';
import { freePort, killTree, npm, posix, repoRoot, signalGroup, type Run } from './helpers';

// Tests build into temporary folders, never mini-app/dist: that is the folder Mini Program Studio opens, built for
// the stack the developer runs, and a test must not rewrite it behind their back.
const ideDist = join(repoRoot, 'mini-app', 'dist', 'build.json');
const ideDistBefore = existsSync(ideDist) ? statSync(ideDist).mtimeMs : undefined;
afterAll(() => {
  expect(existsSync(ideDist) ? statSync(ideDist).mtimeMs : undefined).toBe(ideDistBefore);
});

// These run the README's commands as a newcomer would: `npm start`, then `npm run demo` against it.
describe('npm start and npm run demo', () => {
  let home: string;
  let dist: string;
  let env: NodeJS.ProcessEnv;
  let stack: Run;
  let merchantPort: number;
  let sandboxPort: number;
  let previewPort: number;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'minipay-start-'));
    dist = join(home, 'dist');
    merchantPort = await freePort();
    sandboxPort = await freePort();
    previewPort = await freePort();
    env = {
      MINIPAY_HOME: home,
      MINIPAY_MERCHANT_PORT: String(merchantPort),
      MINIPAY_SANDBOX_PORT: String(sandboxPort),
      MINIPAY_PREVIEW_PORT: String(previewPort),
    };
    stack = npm(['start', '--', '--out-dir', dist], env);
    await stack.waitFor(/Press Ctrl-C to stop/, 240000);
  }, 300000);

  afterAll(async () => {
    killTree(stack);
    rmSync(home, { recursive: true, force: true });
  });

  it('prints the dashboard and merchant URLs, which answer', async () => {
    const output = stack.output();
    expect(output).toContain(`http://127.0.0.1:${sandboxPort}/`);
    expect(output).toContain(`http://127.0.0.1:${merchantPort}/api/products`);
    expect(output).toContain(`built into ${dist} (--out-dir); Mini Program Studio opens mini-app/dist`);
    expect((await fetch(`http://127.0.0.1:${sandboxPort}/`)).status).toBe(200);
    const products = (await (await fetch(`http://127.0.0.1:${merchantPort}/api/products`)).json()) as {
      products: unknown[];
    };
    expect(products.products.length).toBeGreaterThan(0);
  });

  it('builds the mini program in sandbox mode into --out-dir, wired to this stack', () => {
    expect(stack.output()).toContain(`mini program built into ${dist} (sandbox mode)`);
    expect(JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8'))).toMatchObject({
      mode: 'development',
      merchantUrl: `http://127.0.0.1:${merchantPort}`,
      shim: true,
    });
  });

  it('records its pids and URLs in the dev home (stack.json)', () => {
    const record = JSON.parse(readFileSync(join(home, 'stack.json'), 'utf8'));
    expect(record.miniDir).toBe(dist);
    expect(record.parts.map((entry: { name: string; url: string }) => [entry.name, entry.url])).toEqual([
      ['wallet', `http://127.0.0.1:${sandboxPort}`],
      ['merchant', `http://127.0.0.1:${merchantPort}`],
      ['preview', `http://127.0.0.1:${previewPort}`],
    ]);
    expect(stack.output()).toContain(`(pid ${record.parts[0].pid})`);
  });

  it('starts the preview of the built folder and prints its URL, which serves the mini program', async () => {
    expect(stack.output()).toMatch(new RegExp(`mini program preview +http://127\\.0\\.0\\.1:${previewPort}/ `));
    expect((await fetch(`http://127.0.0.1:${previewPort}/`)).status).toBe(200);
    const bundle = (await (await fetch(`http://127.0.0.1:${previewPort}/__preview/app`)).json()) as {
      appJson: { pages: string[] };
      sandboxUrl: string;
    };
    expect(bundle.appJson.pages.length).toBeGreaterThan(0);
    expect(bundle.sandboxUrl).toBe(`http://127.0.0.1:${sandboxPort}`);
  });

  it('npm run preview starts the preview alone over the running stack, of its folder, on the port it is given', async () => {
    const port = await freePort();
    const alone = npm(['run', 'preview', '--silent', '--', '--port', String(port), '--no-watch'], env);
    try {
      await alone.waitFor(/auth codes from the wallet sandbox at \S+/, 60000);
      expect(alone.output()).toContain(`minipay preview of ${dist}`);
      expect(alone.output()).toContain(`open http://127.0.0.1:${port}/`);
      expect(alone.output()).toContain(`auth codes from the wallet sandbox at http://127.0.0.1:${sandboxPort}`);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    } finally {
      if (posix) signalGroup(alone, 'SIGINT');
      else killTree(alone);
      await alone.exited;
    }
  });

  it('rebuilds the mini program when one of its sources changes, and the preview tells the browser to reload', async () => {
    const events = await fetch(`http://127.0.0.1:${previewPort}/__preview/events`);
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let heard = '';
    const reload = (async () => {
      while (!heard.includes('event: reload')) {
        const { value, done } = await reader.read();
        if (done) break;
        heard += new TextDecoder().decode(value);
      }
    })();
    const before = stack.output().length;
    const source = join(repoRoot, 'mini-app', 'src', 'app.json');
    const now = new Date();
    utimesSync(source, now, now);
    const rest = () => stack.output().slice(before);
    await stack.waitFor(
      /source changed: rebuilding the mini program[\s\S]*mini program built into \S+ \(sandbox/,
      60000,
    );
    expect(rest()).toContain('source changed: rebuilding the mini program');
    await reload;
    await reader.cancel();
    expect(heard).toContain('event: reload');
  });

  it.each([
    ['pay', 'PAID'],
    ['processing', 'PAID'],
    ['fail', 'FAILED'],
    ['cancel', 'CANCELLED'],
    ['network-error', 'PAID'],
    ['unknown', 'PAID'],
  ])('npm run demo -- --outcome %s walks the six steps and confirms %s', async (outcome, status) => {
    const demo = npm(['run', 'demo', '--silent', '--', '--outcome', outcome], env);
    expect(await demo.exited).toBe(0);
    const lines = demo.output().split('\n');
    for (let step = 1; step <= 6; step += 1) {
      expect(lines.some((line) => line.startsWith(`step ${step}/6`))).toBe(true);
    }
    expect(demo.output()).toContain(`confirmed as ${status}`);
    // The catalog is in USD: minor units are shown as dollars and cents, by the contract's formatAmount (no float).
    expect(demo.output()).toMatch(/^step 1\/6 {2}order \S+ created for .+: \d+\.\d{2} USD \(customer /m);
  });

  it('npm run demo rejects an outcome that does not exist, naming the valid ones', async () => {
    const demo = npm(['run', 'demo', '--silent', '--', '--outcome', 'teleport'], env);
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toMatch(
      /unknown outcome "teleport": use one of pay, processing, fail, cancel, network-error, unknown/,
    );
  });

  it('a second npm start of the same dev home says one is running, with its pids', async () => {
    const second = npm(['start', '--', '--out-dir', join(home, 'second-dist')], env);
    expect(await second.exited).toBe(1);
    const record = JSON.parse(readFileSync(join(home, 'stack.json'), 'utf8'));
    const [wallet, merchant, preview] = record.parts as { pid: number }[];
    expect(second.output()).toContain(
      `npm start: another npm start is running with this dev home (pid ${record.pid}, started ${record.startedAt}): ` +
        `wallet sandbox (pid ${wallet!.pid}, http://127.0.0.1:${sandboxPort}), merchant server (pid ${merchant!.pid}, ` +
        `http://127.0.0.1:${merchantPort}), mini program preview (pid ${preview!.pid}, http://127.0.0.1:${previewPort}). ` +
        `Stop it first (Ctrl-C in its terminal, or ${posix ? 'kill' : 'taskkill /pid'} ${record.pid}`,
    );
  }, 120_000);

  it('a second npm start of another dev home on the same ports says which variable to change', async () => {
    const other = mkdtempSync(join(tmpdir(), 'minipay-start-other-'));
    try {
      const second = npm(['start'], { ...env, MINIPAY_HOME: other });
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/port \d+ .* already in use: .* set MINIPAY_SANDBOX_PORT to another port/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 120_000);

  (posix ? it : it.skip)('Ctrl-C stops every part cleanly, frees the ports and removes stack.json', async () => {
    signalGroup(stack, 'SIGINT');
    // npm itself takes the SIGINT too and ends by that signal (exit code null), as in a terminal; the stack
    // script must not report a failure.
    expect([0, null]).toContain(await stack.exited);
    expect(stack.output()).toContain('stopping ...');
    expect(stack.output()).not.toMatch(/unexpectedly|Error/);
    await expect(fetch(`http://127.0.0.1:${merchantPort}/api/products`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${sandboxPort}/`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${previewPort}/`)).rejects.toThrow();
    expect(existsSync(join(home, 'stack.json'))).toBe(false);
  });
});

describe('npm start when a part fails', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'minipay-start-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  (posix ? it : it.skip)(
    'a crash of the wallet sandbox stops the merchant server too, with the reason shown',
    async () => {
      const merchantPort = await freePort();
      const env = {
        MINIPAY_HOME: home,
        MINIPAY_MERCHANT_PORT: String(merchantPort),
        MINIPAY_SANDBOX_PORT: String(await freePort()),
        MINIPAY_PREVIEW_PORT: String(await freePort()),
      };
      const stack = npm(['start', '--', '--out-dir', join(home, 'dist')], env);
      const [, pid] = await stack.waitFor(/wallet sandbox dashboard .*\(pid (\d+)\)/, 240000);
      await stack.waitFor(/Press Ctrl-C to stop/);
      process.kill(Number(pid), 'SIGKILL');
      expect(await stack.exited).toBe(1);
      expect(stack.output()).toMatch(/wallet stopped unexpectedly \(SIGKILL\); stopping the stack/);
      await expect(fetch(`http://127.0.0.1:${merchantPort}/api/products`)).rejects.toThrow();
    },
    300000,
  );

  it('a taken merchant port is named with MINIPAY_MERCHANT_PORT before anything starts', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const stack = npm(['start'], {
        MINIPAY_HOME: home,
        MINIPAY_MERCHANT_PORT: String(port),
        MINIPAY_SANDBOX_PORT: String(await freePort()),
        MINIPAY_PREVIEW_PORT: String(await freePort()),
      });
      expect(await stack.exited).toBe(1);
      expect(stack.output()).toContain(
        `port ${port} on 127.0.0.1 is already in use: stop what uses it or set MINIPAY_MERCHANT_PORT to another port`,
      );
    } finally {
      blocker.close();
    }
  });

  it('rejects a port setting that is not a number, naming the variable', async () => {
    const stack = npm(['start'], { MINIPAY_HOME: home, MINIPAY_MERCHANT_PORT: 'eighty' });
    expect(await stack.exited).toBe(1);
    // The contract's one port parser and range, as every command reads ports.
    expect(stack.output()).toContain(
      'MINIPAY_MERCHANT_PORT must be a port number from 0 to 65535 (0 = any free port), got "eighty"',
    );
  });
});

describe('npm run demo with no stack running', () => {
  it('starts the stack for the demo, confirms the payment and stops it again', async () => {
    const home = mkdtempSync(join(tmpdir(), 'minipay-demo-'));
    const merchantPort = await freePort();
    try {
      const demo = npm(['run', 'demo', '--silent'], {
        MINIPAY_HOME: home,
        MINIPAY_MERCHANT_PORT: String(merchantPort),
        MINIPAY_SANDBOX_PORT: String(await freePort()),
      });
      expect(await demo.exited).toBe(0);
      expect(demo.output()).toContain('starting one for this demo');
      expect(demo.output()).toContain('confirmed as PAID');
      await expect(fetch(`http://127.0.0.1:${merchantPort}/api/products`)).rejects.toThrow();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 120000);
});

describe('the build, check, size and bench commands', () => {
  let temp: string;
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'minipay-commands-'));
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('npm run build:mini builds the sandbox build that npm run check:mini passes, and prints its size', async () => {
    const out = join(temp, 'sandbox-dist');
    const build = npm(['run', 'build:mini', '--silent', '--', '--out-dir', out], {});
    expect(await build.exited).toBe(0);
    const check = npm(['run', 'check:mini', '--silent', '--', out], {});
    expect(await check.exited).toBe(0);
    expect(check.output()).toMatch(/mini-app dist: \d+ files, \d+ bytes .* of the 2 MB limit/);
  });

  it('npm run build:mini -- --production builds a dist that npm run check:mini accepts', async () => {
    const out = join(temp, 'production-dist');
    const build = npm(['run', 'build:mini', '--silent', '--', '--production', '--out-dir', out], {
      MINIPAY_MERCHANT_URL: 'https://shop.example.com',
    });
    expect(await build.exited).toBe(0);
    expect(readFileSync(join(out, 'build.json'), 'utf8')).toContain('"production"');
    const check = npm(['run', 'check:mini', '--silent', '--', out], {});
    expect(await check.exited).toBe(0);
    expect(check.output()).toContain('mini-app check: OK');
  });

  it('npm run size prints the tradePay bundle size under its 2,048-byte budget', async () => {
    const size = npm(['run', 'size', '--silent'], {});
    expect(await size.exited).toBe(0);
    const [, bytes] = size.output().match(/minified \+ gzipped: (\d+) bytes \(limit 2048\)/) ?? [];
    expect(Number(bytes)).toBeGreaterThan(500);
    expect(Number(bytes)).toBeLessThanOrEqual(2048);
  });

  it('npm run bench -- --quick runs every entry and writes one table of figures, bounds and ratios', async () => {
    // The figures of a quick run mean nothing and are never asserted: this proves that every entry runs (the
    // three-process flow included) and that the table has its shape.
    const out = join(temp, 'RESULTS.md');
    const json = join(temp, 'bench.json');
    const bench = npm(['run', 'bench', '--silent', '--', '--quick', '--skip-build', '--out', out, '--json', json], {});
    expect(await bench.exited).toBe(0);
    const table = readFileSync(out, 'utf8');
    expect(table).toMatch(/^Machine: .+, \d+ cores, \d+ GiB/m);
    expect(table).toMatch(/^Load average \(1, 5, 15 min\): .+ before, .+ after\./m);
    expect(table).toContain('A quick run: its figures mean nothing.');
    expect(table).toContain('| figure | value | bound | ratio | notes |');
    expect(table).not.toContain('FAILED');
    const cells = String.raw`[^|]+`;
    for (const figure of [
      'tradePay bundle, ESM minified + gzipped',
      'mini program `dist` (sandbox build)',
      'sign RSA256, one core',
      'verify ECC224, one core',
      "pooled sign RSA256, libuv's pool",
      'raw RSA-2048 signing, node:crypto, ',
      'a bare node:http request, keep-alive, CPU of client + server',
      'orders paid end to end, closed loop (SQLite)',
      'orders paid end to end by a bare merchant and wallet (node:http, pooled signing, durable SQLite)',
      'one order at half that rate, open loop (SQLite)',
      'notifications applied, 10% duplicates (SQLite)',
      'notifications applied by a bare endpoint (node:http, pooled verify and sign, one SQLite transaction)',
      'orders paid end to end, PostgreSQL, 2 instances (balancer, ',
      'notifications applied, 10% duplicates, PostgreSQL, 1 instance',
      "preview's browser bundle (view + worker), minified + gzipped",
      '`npm start` → first page painted in the preview',
    ]) {
      const escaped = figure.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(table).toMatch(new RegExp(`^\\| ${escaped}${cells}\\|${cells}\\|${cells}\\|${cells}\\|`, 'm'));
    }
    // The flow ran in three processes and counted what a paid order costs.
    const details = JSON.parse(readFileSync(json, 'utf8'));
    const flow = details['orders-sqlite'];
    expect(flow.closed[0].orders).toBeGreaterThan(0);
    expect(flow.applied.doubleTransitions).toBe(0);
    expect(flow.perOrder.closed.signs).toBeCloseTo(4, 1);
    // The shape's floor was measured: a bare request costs CPU on both sides, and an order's floor is above zero.
    expect(flow.shapeFloor.httpFloor.clientCpuUs).toBeGreaterThan(0);
    expect(flow.shapeFloor.httpFloor.serverCpuUs).toBeGreaterThan(0);
    expect(flow.shapeFloor.order.cpuMs).toBeGreaterThan(0);
    // The bare endpoint applied each of its notifications once and acknowledged every one, duplicates included.
    expect(flow.bareNotifications.applied).toBe(flow.bareNotifications.unique);
    expect(flow.bareNotifications.duplicates).toBe(flow.bareNotifications.sent - flow.bareNotifications.unique);
    expect(flow.bareNotifications.acknowledged).toBe(flow.bareNotifications.sent);
    // The bare pair paid orders through the same closed loop, each paid at its wallet and its notification acknowledged.
    expect(flow.bareOrders.best.orders).toBeGreaterThan(0);
    expect(flow.bareOrders.notified).toBe(flow.bareOrders.paid);
    expect(flow.bareOrders.best.walletRequests).toBeCloseTo(2, 1);
    expect(new Set([flow.closed[0].merchant.pid, flow.closed[0].sandbox.pid, flow.closed[0].loadPid]).size).toBe(3);
    // The PostgreSQL entry plugged into the same list ran, with its bound from the same run.
    expect(details['merchant-postgres'].postgres2.doubleTransitions).toBe(0);
    expect(details['merchant-postgres'].signing.before.signsPerSecond).toBeGreaterThan(0);
  }, 480000);

  it('a key made with the README production command is accepted as the merchant key', () => {
    const keyFile = join(temp, 'merchant-private.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile], {
      stdio: 'ignore',
    });
    const key = parsePrivateKey(readFileSync(keyFile, 'utf8'));
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});
