// Hostile clients: the connection timeouts and cap with real sockets (idle sockets, slow headers, short and trickled
// bodies and idle keep-alive sockets are closed by the limits; with the limits off, the negative control, they all
// stay open), and deeply nested JSON refused before it is parsed, on every route that takes a body.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdSocket, probeHttpLimits } from '@minipay/testing';
import { resolveConfig } from '../src/internal/resolve-config';
import { loadConfig } from '../src/config';
import { MAX_JSON_NESTING } from '@minipay/fastify-kit';
import { verifyResponse } from '@minipay/openapi';
import { call, signIn, startStack, type Stack } from './helpers';

const PATHS = { postPath: '/api/orders', getPath: '/healthz' };
/** How long a probe holds on: well past every short limit below, so a closed socket is the limit's doing. */
const WAIT_MS = 2500;

describe('with short limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      merchant: {
        connectionTimeoutMs: 400,
        headersTimeoutMs: 600,
        requestTimeoutMs: 800,
        keepAliveTimeoutMs: 300,
        maxConnections: 250,
      },
    });
  });
  afterAll(() => stack.close());

  test('idle sockets, slow headers, short and trickled bodies, idle keep-alive: each is closed', async () => {
    const probe = await probeHttpLimits(stack.merchant.url, PATHS, WAIT_MS);
    for (const [name, hold] of Object.entries(probe)) {
      expect({ name, closedByServer: hold.closedByServer }).toEqual({ name, closedByServer: true });
      expect(hold.afterMs).toBeLessThan(WAIT_MS);
    }
    // The keep-alive socket got its answer first, and was closed after it.
    expect(probe.keptAlive.received).toMatch(/^HTTP\/1\.1 200 /);
    // A body that never completes is refused with 408 (the request timeout), not left hanging.
    expect(probe.trickledBody.received).toMatch(/^HTTP\/1\.1 408 /);
    // And the server still answers.
    expect((await fetch(`${stack.merchant.url}/healthz`)).status).toBe(200);
  });

  test.each([
    ['POST', '/api/session'],
    ['POST', '/api/orders'],
    ['POST', '/api/orders/ord_x/payment'],
    ['POST', '/api/nowhere'],
  ])(
    '%s %s: a body nested deeper than the limit → 400 JSON_TOO_DEEP, before anything reads it',
    async (method, path) => {
      const { token } = await signIn(stack);
      const deep = `{"items":${'['.repeat(10_000)}`;
      const answer = await call(stack.merchant.url, method, path, { token, raw: deep });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: { code: 'JSON_TOO_DEEP', message: `the JSON body is nested deeper than ${MAX_JSON_NESTING} levels` },
      });
    },
  );

  test('POST /notify/payment: a body nested too deep → a signed 400 JSON_TOO_DEEP (before the signature is checked)', async () => {
    const answer = await call(stack.merchant.url, 'POST', '/notify/payment', { raw: '['.repeat(10_000) });
    expect(answer.status).toBe(400);
    const body = verifyResponse({
      headers: answer.headers,
      rawBody: answer.text,
      path: '/notify/payment',
      publicKey: stack.dev.merchantPublicKey,
    });
    expect(body).toMatchObject({ result: { resultStatus: 'F', resultCode: 'JSON_TOO_DEEP' } });
  });

  test('a body nested exactly to the limit is parsed as usual (here: refused by the schema, not by the depth)', async () => {
    const { token } = await signIn(stack);
    const levels = MAX_JSON_NESTING - 1;
    const answer = await call(stack.merchant.url, 'POST', '/api/orders', {
      token,
      raw: `{"items":${'['.repeat(levels)}${']'.repeat(levels)}}`,
    });
    expect(answer.status).toBe(400);
    expect((answer.body as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
  });

  test('200 idle sockets at once are all closed, and the API answers meanwhile', async () => {
    const holds = Promise.all(Array.from({ length: 200 }, () => holdSocket(stack.merchant.url, { waitMs: WAIT_MS })));
    const answer = await fetch(`${stack.merchant.url}/healthz`);
    expect(answer.status).toBe(200);
    const closed = (await holds).filter((hold) => hold.closedByServer);
    expect(closed).toHaveLength(200);
  });
});

test('a cap of 5 connections: the 6th and later are closed at once, the first 5 stay until their timeout', async () => {
  const stack = await startStack({ merchant: { maxConnections: 5 } });
  try {
    const holds = await Promise.all(Array.from({ length: 8 }, () => holdSocket(stack.merchant.url, { waitMs: 1000 })));
    expect(holds.filter((hold) => !hold.closedByServer)).toHaveLength(5);
    expect(holds.filter((hold) => hold.closedByServer)).toHaveLength(3);
  } finally {
    await stack.close();
  }
});

test('negative control: with every limit off, the same sockets stay open', async () => {
  const stack = await startStack({
    merchant: { connectionTimeoutMs: 0, headersTimeoutMs: 0, requestTimeoutMs: 0, keepAliveTimeoutMs: 0 },
  });
  try {
    const probe = await probeHttpLimits(stack.merchant.url, PATHS, WAIT_MS);
    for (const [name, hold] of Object.entries(probe)) {
      expect({ name, closedByServer: hold.closedByServer }).toEqual({ name, closedByServer: false });
    }
  } finally {
    await stack.close();
  }
});

describe('settings', () => {
  test('defaults a production server would use', async () => {
    const home = mkdtempSync(join(tmpdir(), 'minipay-limits-'));
    const config = await resolveConfig({ home });
    rmSync(home, { recursive: true, force: true });
    expect(config).toMatchObject({
      connectionTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 500,
    });
  });

  test('read from MINIPAY_MERCHANT_* variables; 0 turns a limit off; nonsense is refused naming the variable', () => {
    expect(
      loadConfig({
        MINIPAY_MERCHANT_CONNECTION_TIMEOUT_MS: '0',
        MINIPAY_MERCHANT_REQUEST_TIMEOUT_MS: '20000',
        MINIPAY_MERCHANT_HEADERS_TIMEOUT_MS: '5000',
        MINIPAY_MERCHANT_KEEP_ALIVE_TIMEOUT_MS: '65000',
        MINIPAY_MERCHANT_MAX_CONNECTIONS: '2000',
      }),
    ).toEqual({
      connectionTimeoutMs: 0,
      requestTimeoutMs: 20_000,
      headersTimeoutMs: 5_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 2000,
    });
    expect(() => loadConfig({ MINIPAY_MERCHANT_REQUEST_TIMEOUT_MS: '-1' })).toThrow(
      /MINIPAY_MERCHANT_REQUEST_TIMEOUT_MS must be a whole number/,
    );
  });

  test('a headers timeout longer than the request timeout is refused, naming both', async () => {
    await expect(resolveConfig({ home: tmpdir(), requestTimeoutMs: 1000, headersTimeoutMs: 2000 })).rejects.toThrow(
      /MINIPAY_MERCHANT_HEADERS_TIMEOUT_MS .* must not be longer than MINIPAY_MERCHANT_REQUEST_TIMEOUT_MS/,
    );
  });
});
