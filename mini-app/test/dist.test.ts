/**
 * The built output itself, not the sources: the bundles the IDE would load run under the harness and pay
 * end to end against the real stack (development build with the shim; production build with a stand-in
 * wallet), and every copied antd-mini component's code loads and registers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SCHEDULE, checkout, payAndWaitForResult } from './harness/app';
import { FakeMy, type TradePayCall } from './harness/fake-my';
import { MiniProgramRuntime } from './harness/runtime';
import { startStack, type Stack } from './harness/stack';

const appDir = join(__dirname, '..');
let stack: Stack;
let temp: string;
let runtime: MiniProgramRuntime | undefined;

function build(outDir: string, production: boolean): void {
  const result = spawnSync(
    process.execPath,
    [
      join(appDir, 'scripts/build.mjs'),
      '--out-dir',
      outDir,
      // The stack is on 127.0.0.1: a production build refuses such a merchant URL unless told it is a test.
      ...(production ? ['--production', '--insecure-merchant-url-for-testing'] : []),
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        MINIPAY_MERCHANT_URL: stack.merchantUrl,
        MINIPAY_SANDBOX_URL: stack.sandboxUrl,
        MINIPAY_SANDBOX: '',
      },
    },
  );
  if (result.status !== 0) throw new Error(`build failed: ${result.stdout}${result.stderr}`);
}

beforeAll(async () => {
  stack = await startStack({ reconcileAfterMs: 60_000 });
  temp = mkdtempSync(join(tmpdir(), 'minipay-mini-dist-'));
  build(join(temp, 'dev'), false);
  build(join(temp, 'prod'), true);
}, 120_000);
afterEach(() => {
  runtime?.close();
  runtime = undefined;
});
afterAll(async () => {
  await stack?.close();
  rmSync(temp, { recursive: true, force: true });
});

function launchDist(dir: string, my: FakeMy): MiniProgramRuntime {
  runtime = new MiniProgramRuntime({ my, root: join(temp, dir) });
  runtime.launch();
  runtime.app!.confirmSchedule = TEST_SCHEDULE;
  return runtime;
}

test('the development build pays end to end: the shim installed at launch, its action sheet as the cashier', async () => {
  const my = new FakeMy({ actionSheet: (items) => items.indexOf('Pay') });
  const app = launchDist('dev', my);
  expect(app.app!.devWallet).toBe(true);
  await checkout(app);
  const result = await payAndWaitForResult(app);
  expect(result.data.view.kind).toBe('paid');
  expect(my.actionSheets).toHaveLength(1);
});

test('the production build installs nothing and pays through the wallet’s own my.tradePay', async () => {
  const post = async (path: string, body: unknown) =>
    (
      await fetch(stack.sandboxUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json() as Promise<Record<string, string>>;
  const cashier: string[] = [];
  // A stand-in for a real wallet: its cashier is the sandbox's scripting API.
  const my = new FakeMy({
    tradePay: (call: TradePayCall) => {
      cashier.push(call.paymentUrl ?? '');
      const paymentId = decodeURIComponent((call.paymentUrl ?? '').split('/cashier/')[1] ?? '');
      void post(`/sandbox/payments/${encodeURIComponent(paymentId)}/complete`, { outcome: 'fail' }).then((answer) =>
        call.success?.({ resultCode: answer.resultCode as string }),
      );
    },
    getAuthCode: ({ success }) =>
      void post('/sandbox/auth-codes', {}).then((answer) => success({ authCode: answer.authCode as string })),
  });
  const app = launchDist('prod', my);
  expect(app.app!.devWallet).toBe(false);
  await checkout(app);
  const result = await payAndWaitForResult(app);
  expect(result.data.view).toMatchObject({ kind: 'failed', message: expect.stringContaining('balance') });
  expect(cashier).toEqual([expect.stringContaining('/cashier/')]);
});

test('every antd-mini component in the build loads and registers a Component', () => {
  const componentsDir = join(temp, 'prod', 'components', 'antd-mini');
  const entries = (function walk(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name === 'index.js' ? [join(dir, e.name)] : [],
    );
  })(componentsDir);
  expect(entries.length).toBeGreaterThanOrEqual(5);
  const registered: string[] = [];
  const globals = globalThis as Record<string, unknown>;
  globals.my = new FakeMy();
  try {
    for (const entry of entries) {
      globals.Component = (definition: Record<string, unknown>) => {
        expect(typeof definition).toBe('object');
        registered.push(entry);
      };
      jest.isolateModules(() => require(entry));
    }
  } finally {
    delete globals.Component;
    delete globals.my;
  }
  expect(registered).toEqual(entries);
});
