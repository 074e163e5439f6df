// The `minipay-sandbox` command, run in-process through runCli.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevHome } from '@minipay/dev-home';
import { EventEmitter } from 'node:events';
import { closeOnSignals, runCli } from '../src/internal/cli';
import { call, json, payRequest } from './helpers';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err };
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'minipay-sandbox-cli-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

test('starts on --port with --home, creating the dev home, and prints client id, key paths and URLs', async () => {
  const { io, out, err } = capture();
  const sandbox = await runCli(['--port', '0', '--home', home], {}, io);
  try {
    expect(sandbox).toBeDefined();
    expect(err).toEqual([]);
    const devHome = await ensureDevHome(home);
    const text = out.join('\n');
    expect(text).toContain(devHome.clientId);
    expect(text).toContain(devHome.paths.merchantPublicKey);
    expect(text).toContain(devHome.paths.walletPublicKey);
    expect(text).toContain(`${sandbox!.url}/`);
    expect(text).toContain(`${sandbox!.url}/api/open`);
    expect(text).toContain(`${sandbox!.url}/cashier/<paymentId>`);
    expect(text).toContain(`state               ${devHome.paths.sandboxState}`);
    expect(sandbox!.stateFile).toBe(devHome.paths.sandboxState);
    expect(text).not.toContain('PRIVATE KEY');
    const page = await fetch(`${sandbox!.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(devHome.paths.sandboxState);
  } finally {
    await sandbox?.close();
  }
});

test('--in-memory keeps the state in memory and says so', async () => {
  const { io, out } = capture();
  const sandbox = await runCli(['--port', '0', '--home', home, '--in-memory'], {}, io);
  try {
    expect(sandbox?.stateFile).toBeUndefined();
    expect(out.join('\n')).toContain('state is in memory: a restart forgets every payment');
    expect(out.join('\n')).toContain('state               in memory (--in-memory)');
    expect(await (await fetch(`${sandbox!.url}/`)).text()).toContain('State is in memory');
  } finally {
    await sandbox?.close();
  }
});

test('MINIPAY_SANDBOX_PORT sets the port and MINIPAY_HOME the home; a port in use is a clear message', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const { io, out, err } = capture();
    const sandbox = await runCli([], { MINIPAY_SANDBOX_PORT: String(port), MINIPAY_HOME: home }, io);
    expect(sandbox).toBeUndefined();
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(`Port ${port}`);
    expect(err[0]).toContain('MINIPAY_SANDBOX_PORT');
    expect(err[0]).toContain('--port');
    expect(err[0]).not.toMatch(/\n\s+at /);
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('MINIPAY_HOME is the default home', async () => {
  const { io } = capture();
  const sandbox = await runCli(['--port', '0'], { MINIPAY_HOME: home }, io);
  try {
    expect(sandbox?.clientId).toBe((await ensureDevHome(home)).clientId);
  } finally {
    await sandbox?.close();
  }
});

test.each([
  [['--port', 'eighty'], {}, '--port must be a port number'],
  [[], { MINIPAY_SANDBOX_PORT: '70000' }, 'MINIPAY_SANDBOX_PORT must be a port number'],
  [['--colour'], {}, "Unknown option '--colour'"],
  [['--retry-schedule', '5s,30s'], {}, '--retry-schedule must be milliseconds separated by commas'],
  [
    [],
    { MINIPAY_SANDBOX_RETRY_SCHEDULE: '-1' },
    'MINIPAY_SANDBOX_RETRY_SCHEDULE must be milliseconds separated by commas',
  ],
])('bad arguments %j %j are refused with a message, not a stack trace', async (argv, env, message) => {
  const { io, err } = capture();
  expect(await runCli(argv, { MINIPAY_HOME: home, ...env }, io)).toBeUndefined();
  expect(err.join('\n')).toContain(message);
});

test('--help prints the usage', async () => {
  const { io, out } = capture();
  expect(await runCli(['--help'], {}, io)).toBeUndefined();
  expect(out.join('\n')).toContain('Usage: minipay-sandbox');
});

test('--public-url (or MINIPAY_SANDBOX_PUBLIC_URL) is the base of cashier links and of the printed URLs', async () => {
  const { io, out } = capture();
  const sandbox = await runCli(
    ['--port', '0', '--home', home],
    { MINIPAY_SANDBOX_PUBLIC_URL: 'http://192.168.1.20:8210/' },
    io,
  );
  try {
    expect(out.join('\n')).toContain("installSandbox(my, { baseUrl: 'http://192.168.1.20:8210' })");
    const state = await (await fetch(`${sandbox!.url}/`)).text();
    expect(state).toContain('http://192.168.1.20:8210/api/open');
  } finally {
    await sandbox?.close();
  }
  const bad = capture();
  expect(await runCli(['--public-url', '192.168.1.20'], { MINIPAY_HOME: home }, bad.io)).toBeUndefined();
  expect(bad.err.join('')).toContain('--public-url must be an http(s) URL');
});

test.each(['SIGINT', 'SIGTERM'] as const)('%s closes the sandbox, then exits 0', async (signal) => {
  const { io, out } = capture();
  const sandbox = (await runCli(['--port', '0', '--home', home], {}, io))!;
  const signals = new EventEmitter();
  const exited = new Promise<number>((resolve) => closeOnSignals(sandbox, signals, resolve, io));
  signals.emit(signal);
  expect(await exited).toBe(0);
  expect(out).toContain(`${signal}: closing the sandbox`);
  await expect(fetch(`${sandbox.url}/`)).rejects.toThrow();
});

test.each([
  ['--retry-schedule', ['--retry-schedule', '20, 40'], {}],
  ['MINIPAY_SANDBOX_RETRY_SCHEDULE', [], { MINIPAY_SANDBOX_RETRY_SCHEDULE: '20,40' }],
])(
  '%s compresses the notification retries: 1 + 2 attempts to an unreachable merchant, then exhausted',
  async (_name, argv, env) => {
    const { io } = capture();
    const sandbox = await runCli(['--port', '0', '--home', home, ...argv], env, io);
    const t = { sandbox: sandbox!, home: await ensureDevHome(home), lines: [], close: async () => undefined };
    try {
      expect(await (await fetch(`${sandbox!.url}/`)).text()).toContain('<code>20 ms, 40 ms</code>');
      const created = await call(t, '/v2/payments/pay', payRequest({ notifyUrl: 'http://127.0.0.1:9/notify' }));
      await json(t, 'POST', `/sandbox/payments/${created.body.paymentId}/complete`, { outcome: 'pay' });
      await sandbox!.whenIdle();
      const payment = await json(t, 'GET', `/sandbox/payments/${created.body.paymentId}`);
      expect(payment.body.notification.attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3]);
      expect(payment.body.notification.state).toBe('exhausted');
    } finally {
      await sandbox?.close();
    }
  },
);
