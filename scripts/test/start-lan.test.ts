// `npm start -- --lan <address>`: every part listens on that one address, and every URL the stack prints, the mini
// program is built with, the sandbox writes into cashier links and the preview hands the browser uses it. Proven
// with a second loopback address, 127.0.0.2, which Linux answers without any network (macOS and Windows do not
// configure it, so the test runs on Linux).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killTree, npm, type Run } from './helpers';

const LAN = '127.0.0.2';
const linux = process.platform === 'linux';

(linux ? describe : describe.skip)(`npm start -- --lan ${LAN}`, () => {
  let home: string;
  let dist: string;
  let stack: Run;
  let urls: Record<string, string>;
  let ports: Record<string, number>;
  const env = () => ({
    MINIPAY_HOME: home,
    MINIPAY_MERCHANT_PORT: '0',
    MINIPAY_SANDBOX_PORT: '0',
    MINIPAY_PREVIEW_PORT: '0',
  });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'minipay-lan-'));
    dist = join(home, 'dist');
    stack = npm(['start', '--', '--lan', LAN, '--out-dir', dist], env());
    await stack.waitFor(/Press Ctrl-C to stop/, 240_000);
    const record = JSON.parse(readFileSync(join(home, 'stack.json'), 'utf8')) as {
      parts: { name: string; url: string; port: number }[];
    };
    urls = Object.fromEntries(record.parts.map((entry) => [entry.name, entry.url]));
    ports = Object.fromEntries(record.parts.map((entry) => [entry.name, entry.port]));
  }, 300_000);

  afterAll(() => {
    killTree(stack);
    rmSync(home, { recursive: true, force: true });
  });

  it('prints only URLs on that address, and what to open on the phone', () => {
    const output = stack.output();
    const hosts = new Set([...output.matchAll(/https?:\/\/([^/:\s'"]+)/g)].map((match) => match[1]));
    expect([...hosts]).toEqual([LAN]);
    expect(urls).toEqual({
      wallet: `http://${LAN}:${ports.wallet}`,
      merchant: `http://${LAN}:${ports.merchant}`,
      preview: `http://${LAN}:${ports.preview}`,
    });
    expect(output).toContain(`On the network, as ${LAN}`);
    expect(output).toContain(`on the phone, open http://${LAN}:${ports.wallet}/ in its browser first`);
    expect(output).toContain(`on another computer, open http://${LAN}:${ports.preview}/ for the preview`);
  });

  it('every part answers on that address, and none on 127.0.0.1', async () => {
    for (const [name, path] of [
      ['wallet', '/'],
      ['merchant', '/api/products'],
      ['preview', '/'],
    ] as const) {
      expect((await fetch(`${urls[name]}${path}`)).status).toBe(200);
      await expect(fetch(`http://127.0.0.1:${ports[name]}${path}`)).rejects.toThrow();
    }
  });

  it('builds the mini program to call the merchant server and the sandbox there', () => {
    expect(JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8'))).toMatchObject({ merchantUrl: urls.merchant });
    const app = readFileSync(join(dist, 'app.js'), 'utf8');
    expect(app).toContain(JSON.stringify(urls.merchant));
    expect(app).toContain(JSON.stringify(urls.wallet));
    // (The shim's own error message quotes an example URL on 127.0.0.1:8210; no URL it calls is there.)
    for (const port of [ports.merchant, ports.wallet, 8200]) expect(app).not.toContain(`127.0.0.1:${port}`);
  });

  it('the preview hands the browser the sandbox there', async () => {
    const bundle = (await (await fetch(`${urls.preview}/__preview/app`)).json()) as { sandboxUrl: string };
    expect(bundle.sandboxUrl).toBe(urls.wallet);
  });

  it('a payment goes through, with a cashier link on that address (so the shim recognises it)', async () => {
    // npm run demo finds the running stack and its address in stack.json.
    const demo = npm(['run', 'demo', '--silent'], { MINIPAY_HOME: home });
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toMatch(
      new RegExp(`^step 3/6 .* paymentUrl http://${LAN.replace(/\./g, '\\.')}:${ports.wallet}/cashier/\\S+$`, 'm'),
    );
    expect(demo.output()).toContain('confirmed as PAID');
    expect(demo.output()).not.toContain('starting one for this demo');
  });

  it('npm run preview over it listens on that address too', async () => {
    const alone = npm(['run', 'preview', '--silent', '--', '--port', '0', '--no-watch'], { MINIPAY_HOME: home });
    try {
      await alone.waitFor(/auth codes from the wallet sandbox at \S+/, 60_000);
      const [, url] = alone.output().match(/open (http:\/\/\S+)\//) ?? [];
      expect(url).toMatch(new RegExp(`^http://${LAN.replace(/\./g, '\\.')}:\\d+$`));
      expect(alone.output()).toContain(`auth codes from the wallet sandbox at ${urls.wallet}`);
    } finally {
      killTree(alone);
    }
  });

  it('killed outright, it leaves a stack.json that does not stand in the way of the next start', async () => {
    killTree(stack);
    await stack.exited;
    // SIGKILL gives the script no chance to remove it; the next start sees that nothing of that stack runs.
    expect(existsSync(join(home, 'stack.json'))).toBe(true);
    const next = npm(['start', '--', '--lan', LAN, '--out-dir', dist], env());
    try {
      await next.waitFor(/Press Ctrl-C to stop/, 120_000);
    } finally {
      killTree(next);
    }
  }, 180_000);
});
