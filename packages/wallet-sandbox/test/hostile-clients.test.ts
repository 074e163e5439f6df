// The sandbox under clients that hold connections and merchants that never answer: the connection timeouts and cap
// with real sockets (and the negative control, every limit off), and the per-attempt notification timeout against a
// black-hole merchant that accepts the connection and never says a word.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdSocket, probeHttpLimits } from '@minipay/testing';
import { runCli } from '../src/internal/cli';
import { MAX_JSON_NESTING } from '@minipay/fastify-kit';
import { call, json, payRequest, postRaw, startTestSandbox, type TestSandbox } from './helpers';

const PATHS = { postPath: '/sandbox/faults', getPath: '/sandbox/faults' };
const WAIT_MS = 2500;

describe('connection limits', () => {
  test('idle sockets, slow headers, short and trickled bodies, idle keep-alive: each is closed', async () => {
    const t = await startTestSandbox({
      connectionTimeoutMs: 400,
      headersTimeoutMs: 600,
      requestTimeoutMs: 800,
      keepAliveTimeoutMs: 300,
    });
    try {
      const probe = await probeHttpLimits(t.sandbox.url, PATHS, WAIT_MS);
      for (const [name, hold] of Object.entries(probe)) {
        expect({ name, closedByServer: hold.closedByServer }).toEqual({ name, closedByServer: true });
      }
      expect(probe.keptAlive.received).toMatch(/^HTTP\/1\.1 200 /);
      expect(probe.trickledBody.received).toMatch(/^HTTP\/1\.1 408 /);
      expect((await fetch(`${t.sandbox.url}/sandbox/faults`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  test('a cap of 4 connections: the 5th and later are closed at once', async () => {
    const t = await startTestSandbox({ maxConnections: 4 });
    try {
      const holds = await Promise.all(Array.from({ length: 7 }, () => holdSocket(t.sandbox.url, { waitMs: 1000 })));
      expect(holds.filter((hold) => !hold.closedByServer)).toHaveLength(4);
    } finally {
      await t.close();
    }
  });

  test('negative control: with every limit off, the same sockets stay open', async () => {
    const t = await startTestSandbox({
      connectionTimeoutMs: 0,
      headersTimeoutMs: 0,
      requestTimeoutMs: 0,
      keepAliveTimeoutMs: 0,
    });
    try {
      const probe = await probeHttpLimits(t.sandbox.url, PATHS, WAIT_MS);
      for (const [name, hold] of Object.entries(probe)) {
        expect({ name, closedByServer: hold.closedByServer }).toEqual({ name, closedByServer: false });
      }
    } finally {
      await t.close();
    }
  });

  test('the CLI takes the limits as flags and refuses nonsense naming the flag', async () => {
    const home = mkdtempSync(join(tmpdir(), 'minipay-cli-limits-'));
    const err: string[] = [];
    const io = { out: () => {}, err: (line: string) => err.push(line) };
    expect(await runCli(['--home', home, '--request-timeout-ms', 'soon', '--port', '0'], {}, io)).toBeUndefined();
    expect(err.join('\n')).toMatch(/--request-timeout-ms must be a whole number from 0, got "soon"/);
    expect(
      await runCli(
        ['--home', home, '--headers-timeout-ms', '5000', '--request-timeout-ms', '1000', '--port', '0'],
        {},
        io,
      ),
    ).toBeUndefined();
    expect(err.join('\n')).toMatch(/headersTimeoutMs \(5000\) must not be longer than requestTimeoutMs \(1000\)/);
    rmSync(home, { recursive: true, force: true });
  });
});

describe('JSON nested too deep is refused before anything parses it, on every route that takes a body', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.close());
  const deep = '{"a":' + '['.repeat(100_000);

  test.each([
    '/v2/payments/pay',
    '/v2/payments/inquiryPayment',
    '/v2/payments/cancel',
    '/v2/payments/refund',
    '/v2/authorizations/applyToken',
  ])('OpenAPI %s: a signed F PARAM_ILLEGAL naming the limit', async (api) => {
    const answer = await postRaw(t, `/api/open${api}`, deep, { 'content-type': 'application/json; charset=UTF-8' });
    expect(answer.body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: `the JSON body is nested deeper than ${MAX_JSON_NESTING} levels`,
    });
  });

  test.each([
    ['POST', '/sandbox/faults'],
    ['POST', '/sandbox/auth-codes'],
    ['POST', '/sandbox/payments/SBX_x/complete'],
    ['POST', '/sandbox/payments/SBX_x/notify'],
    ['DELETE', '/sandbox/faults'],
    ['DELETE', '/sandbox/requests'],
    ['POST', '/cashier/SBX_x'],
  ])('scripting API and cashier %s %s: 400 JSON_TOO_DEEP', async (method, path) => {
    const response = await fetch(t.sandbox.url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'JSON_TOO_DEEP', message: `the JSON body is nested deeper than ${MAX_JSON_NESTING} levels` },
    });
  });
});

describe('a black-hole merchant (accepts, never answers)', () => {
  let blackHole: Server;
  const sockets = new Set<Socket>();
  let t: TestSandbox;
  beforeAll(async () => {
    blackHole = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    t = await startTestSandbox({ notifyTimeoutMs: 400, retrySchedule: [20, 20] });
  });
  afterAll(async () => {
    await t.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });

  test('each of the 3 attempts ends at its 400 ms timeout, recorded as timed out, and the notification is exhausted', async () => {
    const address = blackHole.address() as { port: number };
    const answer = await call(
      t,
      '/v2/payments/pay',
      payRequest({ notifyUrl: `http://127.0.0.1:${address.port}/notify` }),
    );
    const paymentId = answer.body.paymentId as string;
    await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });
    await t.sandbox.whenIdle();
    const view = (await json(t, 'GET', `/sandbox/payments/${paymentId}`)).body as {
      notification: { state: string; attempts: Array<{ outcome: string; detail: string; durationMs: number }> };
    };
    expect(view.notification.state).toBe('exhausted');
    expect(view.notification.attempts).toHaveLength(3);
    for (const attempt of view.notification.attempts) {
      expect(attempt).toMatchObject({ outcome: 'error', detail: 'no answer: timed out after 400 ms' });
      expect(attempt.durationMs).toBeGreaterThanOrEqual(390);
      // Not a timing assertion on the machine's speed: without the timeout an attempt waits minutes.
      expect(attempt.durationMs).toBeLessThan(5000);
    }
  });
});
