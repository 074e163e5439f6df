/**
 * The API client's contract with `my.request`, with scripted answers for what the real server will not
 * readily give (an expired session, a bare error 19). The real server is used in e2e.test.ts.
 */
import { IDEMPOTENCY_KEY_PATTERN } from '@minipay/contract';
import { CREATE_ORDER_RETRIES, MerchantApi, newIdempotencyKey } from '../src/api/client';
import { AuthCodeError, MerchantApiError, NetworkError, ServerError } from '../src/api/errors';
import type { MiniRuntime, RequestOptions } from '../src/api/runtime';
import { TOKEN_STORAGE_KEY } from '../src/api/session';

type Answer =
  | { status: number; body: unknown }
  | { fail: { error: number; errorMessage: string; status?: number; data?: unknown } };

class ScriptedRuntime implements MiniRuntime {
  readonly storage = new Map<string, unknown>();
  readonly sent: RequestOptions[] = [];
  authCodes = 0;
  constructor(private readonly answer: (options: RequestOptions, index: number) => Answer) {}
  request(options: RequestOptions): void {
    const answer = this.answer(options, this.sent.length);
    this.sent.push(options);
    setTimeout(() => {
      if ('fail' in answer) options.fail(answer.fail);
      else if (answer.status < 300) options.success({ status: answer.status, data: answer.body });
      else options.fail({ error: 19, errorMessage: 'http status error', status: answer.status, data: answer.body });
    }, 0);
  }
  getAuthCode(options: { success(result: { authCode: string }): void }): void {
    this.authCodes++;
    options.success({ authCode: `code-${this.authCodes}` });
  }
  getStorageSync({ key }: { key: string }) {
    return { data: this.storage.get(key) ?? null };
  }
  setStorageSync({ key, data }: { key: string; data: unknown }) {
    this.storage.set(key, data);
  }
  removeStorageSync({ key }: { key: string }) {
    this.storage.delete(key);
  }
}

const session = (n: number) => ({ status: 200, body: { token: `token-${n}`, customerId: 'c1' } });
const expired: Answer = { status: 401, body: { error: { code: 'SESSION_EXPIRED', message: 'the session expired' } } };
const order = { status: 200, body: { id: 'o1', status: 'PAID' } };

test('requests carry a JSON string body, JSON headers and the Bearer token', async () => {
  const runtime = new ScriptedRuntime((o) =>
    o.url.endsWith('/api/session') ? session(1) : { status: 201, body: { id: 'o1' } },
  );
  const api = new MerchantApi({ baseUrl: 'http://shop.test/', runtime });
  await api.createOrder([{ productId: 'coffee', quantity: 2 }]);
  const create = runtime.sent[1] as RequestOptions;
  expect(create).toMatchObject({
    url: 'http://shop.test/api/orders',
    method: 'POST',
    dataType: 'json',
    data: '{"items":[{"productId":"coffee","quantity":2}]}',
    headers: { Authorization: 'Bearer token-1', 'Content-Type': 'application/json' },
  });
  expect(runtime.sent[0]).toMatchObject({ url: 'http://shop.test/api/session', data: '{"authCode":"code-1"}' });
  expect(runtime.storage.get(TOKEN_STORAGE_KEY)).toEqual({ token: 'token-1', customerId: 'c1' });
});

test('401 SESSION_EXPIRED: the session is renewed once and the call retried with the new token', async () => {
  const runtime = new ScriptedRuntime((o, i) =>
    o.url.endsWith('/api/session') ? session(i) : i === 0 ? expired : order,
  );
  runtime.storage.set(TOKEN_STORAGE_KEY, { token: 'old', customerId: 'c1' });
  const api = new MerchantApi({ baseUrl: 'http://shop.test', runtime });
  await expect(api.order('o1')).resolves.toEqual(order.body);
  expect(runtime.sent.map((o) => `${o.method} ${o.url.slice(16)} ${o.headers.Authorization ?? ''}`)).toEqual([
    'GET /api/orders/o1 Bearer old',
    'POST /api/session ',
    'GET /api/orders/o1 Bearer token-1',
  ]);
  expect(runtime.authCodes).toBe(1);
});

test('a second 401 after renewing is not retried again: the error reaches the page', async () => {
  const runtime = new ScriptedRuntime((o, i) => (o.url.endsWith('/api/session') ? session(i) : expired));
  const api = new MerchantApi({ baseUrl: 'http://shop.test', runtime });
  await expect(api.order('o1')).rejects.toMatchObject({ name: 'ServerError', code: 'SESSION_EXPIRED', status: 401 });
  expect(runtime.sent.filter((o) => o.url.endsWith('/api/orders/o1'))).toHaveLength(2);
});

test('concurrent calls with no session start one session, not two', async () => {
  const runtime = new ScriptedRuntime((o, i) => (o.url.endsWith('/api/session') ? session(i) : order));
  const api = new MerchantApi({ baseUrl: 'http://shop.test', runtime });
  await Promise.all([api.order('o1'), api.order('o1'), api.ensureSession()]);
  expect(runtime.authCodes).toBe(1);
});

test('{ error: { code, message } } becomes a ServerError with the code, message and status', async () => {
  const runtime = new ScriptedRuntime(() => ({
    status: 402,
    body: { error: { code: 'RISK_REJECT', message: 'rejected' } },
  }));
  const error = await new MerchantApi({ baseUrl: 'http://shop.test', runtime }).products().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ServerError);
  expect(error).toBeInstanceOf(MerchantApiError);
  expect(error).toMatchObject({ code: 'RISK_REJECT', message: 'rejected', status: 402 });
});

test('an error status without a JSON error body still gets a code', async () => {
  const runtime = new ScriptedRuntime(() => ({ status: 500, body: '<html>oops</html>' }));
  await expect(new MerchantApi({ baseUrl: 'http://shop.test', runtime }).products()).rejects.toMatchObject({
    code: 'HTTP_500',
    status: 500,
  });
});

test('error 19 from an older base library (no status, no body) is an HTTP error, not "unreachable"', async () => {
  const runtime = new ScriptedRuntime(() => ({ fail: { error: 19, errorMessage: 'http status error' } }));
  const error = await new MerchantApi({ baseUrl: 'http://shop.test', runtime }).products().catch((e: unknown) => e);
  expect(error).not.toBeInstanceOf(NetworkError);
  expect(error).toMatchObject({ code: 'HTTP_ERROR' });
});

test('a transport failure is a NetworkError (the page offers "try again")', async () => {
  const runtime = new ScriptedRuntime(() => ({ fail: { error: 12, errorMessage: 'network error' } }));
  const error = await new MerchantApi({ baseUrl: 'http://shop.test', runtime }).products().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NetworkError);
  expect(error).toMatchObject({
    name: 'NetworkError',
    code: 'NETWORK_ERROR',
    message: expect.stringContaining('network error'),
  });
});

test('a failing my.getAuthCode is an AuthCodeError and no session request is sent', async () => {
  const runtime = new ScriptedRuntime(() => order);
  runtime.getAuthCode = (options: any) => options.fail({ error: 11, errorMessage: 'user cancelled' });
  const error = await new MerchantApi({ baseUrl: 'http://shop.test', runtime }).order('o1').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthCodeError);
  expect((error as Error).message).toContain('user cancelled');
  expect(runtime.sent).toHaveLength(0);
});

test('a stored value that is not a session is ignored and a new session started', async () => {
  const runtime = new ScriptedRuntime((o, i) => (o.url.endsWith('/api/session') ? session(i) : order));
  runtime.storage.set(TOKEN_STORAGE_KEY, 'garbage');
  await new MerchantApi({ baseUrl: 'http://shop.test', runtime }).order('o1');
  expect(runtime.authCodes).toBe(1);
});

describe('the stored session expiry (expiresAt from POST /api/session)', () => {
  const T0 = Date.parse('2026-03-01T12:00:00.000Z');
  const MINUTE = 60_000;
  const stale = expired;
  /** A server whose sessions last `lifetimeMs` from the clock's time; orders answer only to the newest token. */
  function server(clock: { now: number }, lifetimeMs: number, staleAnswer: Answer) {
    let issued = 0;
    return new ScriptedRuntime((o) => {
      if (o.url.endsWith('/api/session')) {
        issued++;
        return {
          status: 200,
          body: {
            token: `token-${issued}`,
            customerId: 'c1',
            expiresAt: new Date(clock.now + lifetimeMs).toISOString(),
          },
        };
      }
      return o.headers.Authorization === `Bearer token-${issued}` ? order : staleAnswer;
    });
  }
  const calls = (runtime: ScriptedRuntime) =>
    runtime.sent.map((o) => `${o.url.slice(16)} ${o.headers.Authorization ?? ''}`.trim());

  test('is kept with the token, with the time to renew it: a minute before, or half the lifetime when shorter', async () => {
    for (const [lifetime, renewBefore] of [
      [24 * 60 * MINUTE, MINUTE],
      [MINUTE, MINUTE / 2],
    ] as const) {
      const runtime = server({ now: T0 }, lifetime, stale);
      await new MerchantApi({ baseUrl: 'http://shop.test', runtime, now: () => T0 }).ensureSession();
      expect(runtime.storage.get(TOKEN_STORAGE_KEY)).toEqual({
        token: 'token-1',
        customerId: 'c1',
        expiresAt: T0 + lifetime,
        renewAt: T0 + lifetime - renewBefore,
      });
    }
  });

  test.each([
    ['still valid', 10 * MINUTE, ['/api/session', '/api/orders/o1 Bearer token-1', '/api/orders/o1 Bearer token-1']],
    [
      'due for renewal (within a minute of expiring)',
      59 * MINUTE + 1,
      ['/api/session', '/api/orders/o1 Bearer token-1', '/api/session', '/api/orders/o1 Bearer token-2'],
    ],
    [
      'expired',
      61 * MINUTE,
      ['/api/session', '/api/orders/o1 Bearer token-1', '/api/session', '/api/orders/o1 Bearer token-2'],
    ],
  ])('a session %s is renewed before the call only when due (no 401 round trip)', async (_name, later, expected) => {
    const clock = { now: T0 };
    const runtime = server(clock, 60 * MINUTE, stale);
    const api = new MerchantApi({ baseUrl: 'http://shop.test', runtime, now: () => clock.now });
    await api.order('o1');
    clock.now = T0 + later;
    await api.order('o1');
    expect(calls(runtime)).toEqual(expected);
  });

  test('renews an expired session on a host whose my.request fails an error status without the status (bare error 19)', async () => {
    // Such a host cannot show the server's 401, so only the stored expiry can tell that the token lapsed.
    const clock = { now: T0 };
    const runtime = server(clock, 60 * MINUTE, { fail: { error: 19, errorMessage: 'http status error' } });
    const api = new MerchantApi({ baseUrl: 'http://shop.test', runtime, now: () => clock.now });
    await api.order('o1');
    clock.now = T0 + 2 * 60 * MINUTE;
    await expect(api.order('o1')).resolves.toEqual(order.body);
    expect((runtime.storage.get(TOKEN_STORAGE_KEY) as { token: string }).token).toBe('token-2');
  });
});

describe('createOrder with an Idempotency-Key', () => {
  const created = { status: 201, body: { id: 'o1', status: 'CREATED' } };
  const lost: Answer = { fail: { error: 12, errorMessage: 'network error' } };

  test('sends the key; a network error (the answer lost) is retried with the same key until an answer comes', async () => {
    let creates = 0;
    const runtime = new ScriptedRuntime((o) => {
      if (o.url.endsWith('/api/session')) return session(1);
      creates++;
      return creates < 3 ? lost : created;
    });
    const api = new MerchantApi({ baseUrl: 'http://shop.test', runtime });
    await expect(api.createOrder([{ productId: 'coffee', quantity: 1 }], { idempotencyKey: 'k-1' })).resolves.toEqual(
      created.body,
    );
    const sends = runtime.sent.filter((o) => o.url.endsWith('/api/orders'));
    expect(sends).toHaveLength(1 + CREATE_ORDER_RETRIES);
    expect(sends.map((o) => o.headers['Idempotency-Key'])).toEqual(['k-1', 'k-1', 'k-1']);
    expect(new Set(sends.map((o) => o.data)).size).toBe(1);
  });

  test('gives up after CREATE_ORDER_RETRIES retries with the NetworkError', async () => {
    const runtime = new ScriptedRuntime((o) => (o.url.endsWith('/api/session') ? session(1) : lost));
    const api = new MerchantApi({ baseUrl: 'http://shop.test', runtime });
    await expect(
      api.createOrder([{ productId: 'coffee', quantity: 1 }], { idempotencyKey: 'k' }),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(runtime.sent.filter((o) => o.url.endsWith('/api/orders'))).toHaveLength(1 + CREATE_ORDER_RETRIES);
  });

  test('without a key a network error is not retried (a retry could make a second order); a refusal never is', async () => {
    const unkeyed = new ScriptedRuntime((o) => (o.url.endsWith('/api/session') ? session(1) : lost));
    await expect(
      new MerchantApi({ baseUrl: 'http://shop.test', runtime: unkeyed }).createOrder([{ productId: 'c', quantity: 1 }]),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(unkeyed.sent.filter((o) => o.url.endsWith('/api/orders'))).toHaveLength(1);
    const refused = new ScriptedRuntime((o) =>
      o.url.endsWith('/api/session')
        ? session(1)
        : { status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'another cart' } } },
    );
    await expect(
      new MerchantApi({ baseUrl: 'http://shop.test', runtime: refused }).createOrder(
        [{ productId: 'c', quantity: 1 }],
        {
          idempotencyKey: 'k',
        },
      ),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
    expect(refused.sent.filter((o) => o.url.endsWith('/api/orders'))).toHaveLength(1);
  });

  test('newIdempotencyKey: printable ASCII the server accepts, a new one each time', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(IDEMPOTENCY_KEY_PATTERN);
  });
});
