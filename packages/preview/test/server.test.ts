// The preview server: its options, what it serves, auth codes from a real wallet sandbox, live reload.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '@minipay/wallet-sandbox';
import { startPreview, type RunningPreview } from '../src';
import { removeFolders, writeMiniProgram } from './helpers';

afterAll(() => removeFolders());

const fixture = () =>
  writeMiniProgram({ 'pages/index/index.axml': '<view>hi</view>', 'img/dot.png': 'not really a png' });

describe('options', () => {
  test.each([
    [{ dir: '' }, /needs dir/],
    [{ dir: '/no/such/folder' }, /is not a folder/],
    [{ dir: '.', port: 70000 }, /port must be a port number/],
    [{ dir: '.', width: 10 }, /width must be a whole number of pixels from 240 to 1280/],
    [{ dir: '.', sandboxUrl: 'localhost:8210' }, /sandboxUrl must be an http\(s\) URL/],
  ])('%j is refused', async (options, message) => {
    await expect(startPreview(options)).rejects.toMatchObject({
      name: 'PreviewError',
      code: 'INVALID_OPTION',
      message: expect.stringMatching(message),
    });
  });

  test('a folder that is not a mini program is refused at start, naming what to pass', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'minipay-preview-empty-'));
    try {
      await expect(startPreview({ dir: empty, port: 0 })).rejects.toMatchObject({
        code: 'NOT_A_MINI_PROGRAM',
        message: expect.stringContaining('has no app.json'),
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a port in use is refused with a message that says so', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expect(startPreview({ dir: fixture(), port, watch: false })).rejects.toMatchObject({
        code: 'PORT_IN_USE',
        message: expect.stringContaining(`port ${port} on 127.0.0.1 is in use`),
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('what it serves', () => {
  let preview: RunningPreview;
  let dir: string;
  beforeAll(async () => {
    dir = fixture();
    preview = await startPreview({ dir, port: 0, watch: true });
  });
  afterAll(async () => {
    await preview.close();
  });

  test('the page, its two scripts and the compiled mini program', async () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(preview.url)).text()).toContain('<script src="/__preview/view.js"></script>');
    for (const script of ['view.js', 'worker.js']) {
      const response = await fetch(`${preview.url}__preview/${script}`);
      expect(response.headers.get('content-type')).toContain('javascript');
    }
    const bundle = (await (await fetch(`${preview.url}__preview/app`)).json()) as {
      appJson: { pages: string[] };
      width: number;
      problems: unknown[];
    };
    expect(bundle).toMatchObject({ appJson: { pages: ['pages/index/index'] }, width: 375, problems: [] });
  });

  test("the folder's own files (images) and nothing outside it", async () => {
    const image = await fetch(`${preview.url}__app/img/dot.png`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${preview.url}__app/%2e%2e%2f%2e%2e%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${preview.url}__app/nope.png`)).status).toBe(404);
  });

  test('a change in the folder sends reload on the live-reload channel', async () => {
    const controller = new AbortController();
    const response = await fetch(`${preview.url}__preview/events`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const heard = (async () => {
      while (!text.includes('event: reload')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    writeFileSync(join(dir, 'pages', 'index', 'index.axml'), '<view>changed</view>');
    await heard;
    controller.abort();
    expect(text).toContain('event: reload');
  });

  test("my.getAuthCode without a sandbox is the platform's failure shape, with the reason", async () => {
    const answer = await (await fetch(`${preview.url}__preview/auth-code`, { method: 'POST', body: '{}' })).json();
    expect(answer).toEqual({ ok: false, error: 11, errorMessage: expect.stringContaining('without --sandbox-url') });
  });

  test('the request proxy refuses what is not an HTTP request', async () => {
    const answer = await (
      await fetch(`${preview.url}__preview/request`, {
        method: 'POST',
        body: JSON.stringify({ url: 'file:///etc/passwd' }),
      })
    ).json();
    expect(answer).toEqual({ ok: false, error: 2, errorMessage: 'my.request: url must be an http(s) URL' });
  });
});

test('auth codes come from the wallet sandbox named by sandboxUrl', async () => {
  const home = mkdtempSync(join(tmpdir(), 'minipay-preview-home-'));
  const sandbox = await startSandbox({ home, port: 0, log: () => {} });
  const preview = await startPreview({ dir: fixture(), port: 0, sandboxUrl: sandbox.url, watch: false });
  try {
    const answer = (await (
      await fetch(`${preview.url}__preview/auth-code`, { method: 'POST', body: '{}' })
    ).json()) as { ok: boolean; authCode: string };
    expect(answer).toEqual({ ok: true, authCode: expect.any(String) });
  } finally {
    await preview.close();
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
});
