import {
  KeyFormatError,
  OpenApiClient,
  OpenApiError,
  ProtocolError,
  SignatureError,
  TimeoutError,
  TransportError,
  parseRequestTime,
  type OpenApiClientOptions,
  type PayRequest,
} from '@minipay/openapi';
import { keys, startFakeWallet, type FakeWallet, type Reply, type SeenRequest } from './helpers';

const payRequest: PayRequest = {
  paymentRequestId: 'order-1-attempt-1',
  paymentAmount: { currency: 'USD', value: '10000' },
  order: {
    referenceOrderId: 'order-1',
    orderDescription: 'Two coffees',
    orderAmount: { currency: 'USD', value: '10000' },
  },
  paymentNotifyUrl: 'https://merchant.example/payments/notify',
};

const ok = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } as const;
const unknown = { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', resultMessage: 'try again' } as const;

let wallet: FakeWallet | undefined;
afterEach(async () => {
  await wallet?.close();
  wallet = undefined;
});

async function setup(
  script: (request: SeenRequest, attempt: number) => Reply,
  options: Partial<OpenApiClientOptions> = {},
) {
  wallet = await startFakeWallet(script);
  const delays: number[] = [];
  const client = new OpenApiClient({
    baseUrl: wallet.url,
    clientId: wallet.clientId,
    privateKey: keys.merchantRsaPrivate,
    walletPublicKey: keys.walletRsaPublic,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { client, delays, seen: wallet.seen };
}

async function rejection(promise: Promise<unknown>): Promise<OpenApiError> {
  try {
    await promise;
  } catch (error) {
    return error as OpenApiError;
  }
  throw new Error('expected a rejection');
}

describe('OpenApiClient happy paths', () => {
  it.each([
    [
      'pay',
      '/api/open/v2/payments/pay',
      (c: OpenApiClient) => c.pay(payRequest),
      { resultCode: 'ACCEPT', resultStatus: 'A', resultMessage: 'accepted' } as const,
      { paymentId: 'p-1', redirectActionForm: { method: 'GET', redirectionUrl: 'https://cashier.example/p-1' } },
    ],
    [
      'inquiryPayment',
      '/api/open/v2/payments/inquiryPayment',
      (c: OpenApiClient) => c.inquiryPayment({ paymentId: 'p-1' }),
      ok,
      { paymentId: 'p-1', paymentStatus: 'SUCCESS', paymentAmount: { currency: 'USD', value: '10000' } },
    ],
    [
      'cancelPayment',
      '/api/open/v2/payments/cancel',
      (c: OpenApiClient) => c.cancelPayment({ paymentRequestId: 'order-1-attempt-1' }),
      ok,
      { cancelTime: '2026-01-02T03:04:05.000+00:00' },
    ],
    [
      'refund',
      '/api/open/v2/payments/refund',
      (c: OpenApiClient) =>
        c.refund({ refundRequestId: 'refund-1', paymentId: 'p-1', refundAmount: { currency: 'USD', value: '500' } }),
      ok,
      { refundId: 'rf-1' },
    ],
    [
      'applyToken',
      '/api/open/v2/authorizations/applyToken',
      (c: OpenApiClient) => c.applyToken({ grantType: 'AUTHORIZATION_CODE', authCode: 'code-1' }),
      ok,
      { accessToken: 'at-1', customerId: 'cust-1' },
    ],
  ])(
    '%s POSTs a signed request to %s and returns the verified answer as a value',
    async (_name, path, call, result, fields) => {
      const { client, seen } = await setup(() => ({ result, fields }));
      const answer = await call(client);
      expect(answer).toEqual({
        status: result.resultStatus,
        code: result.resultCode,
        message: result.resultMessage,
        data: { result, ...fields },
      });
      expect(seen).toHaveLength(1);
      expect(seen[0]?.path).toBe(path);
      expect(seen[0]?.signatureValid).toBe(true);
      expect(seen[0]?.headers['client-id']).toBe('TEST_CLIENT');
      expect(parseRequestTime(String(seen[0]?.headers['request-time']))).toEqual(expect.any(Number));
      expect(seen[0]?.headers['signature']).toMatch(/^algorithm=RSA256, keyVersion=1, signature=/);
    },
  );

  it('folds the wire status R into A', async () => {
    const { client } = await setup(() => ({ result: { resultCode: 'ACCEPT', resultStatus: 'R' } }));
    const answer = await client.pay(payRequest);
    expect(answer.status).toBe('A');
    expect(answer.message).toBe('');
  });

  it('uses the configured path prefix and signs over it', async () => {
    const { client, seen } = await setup(() => ({ result: ok }), { pathPrefix: '/acl/api' });
    await client.inquiryPayment({ paymentId: 'p-1' });
    expect(seen[0]?.path).toBe('/acl/api/v2/payments/inquiryPayment');
    expect(seen[0]?.signatureValid).toBe(true);
  });

  it('signs with ECC224 when configured', async () => {
    wallet = await startFakeWallet(() => ({ result: ok }), { merchantPublicKey: keys.merchantEccPublic });
    const client = new OpenApiClient({
      baseUrl: wallet.url,
      clientId: 'TEST_CLIENT',
      privateKey: keys.merchantEccPrivateSec1,
      walletPublicKey: keys.walletRsaPublic,
      algorithm: 'ECC224',
    });
    expect((await client.inquiryPayment({ paymentId: 'p-1' })).status).toBe('S');
    expect(wallet.seen[0]?.signatureValid).toBe(true);
    expect(wallet.seen[0]?.headers['signature']).toMatch(/^algorithm=ECC224/);
  });
});

describe('OpenApiClient refuses answers it cannot believe', () => {
  it.each<[string, Reply, string, string]>([
    [
      'signed with another key',
      { result: ok, signWith: keys.merchantRsaPrivate },
      'SignatureError',
      'INVALID_SIGNATURE',
    ],
    [
      'tampered after signing',
      { result: { resultCode: 'PROCESS_FAIL', resultStatus: 'F' }, tamper: true },
      'SignatureError',
      'INVALID_SIGNATURE',
    ],
    ['unsigned', { result: ok, unsigned: true }, 'SignatureError', 'MISSING_HEADER'],
    [
      'signed for another Client-Id',
      { result: ok, clientId: 'ANOTHER_MERCHANT' },
      'SignatureError',
      'INVALID_SIGNATURE',
    ],
    [
      'an HTML page with HTTP 200',
      { raw: '<!DOCTYPE html><html><body>Welcome to nginx</body></html>' },
      'ProtocolError',
      'NOT_JSON',
    ],
    [
      'JSON without a result, signed',
      { result: undefined as never, fields: { paymentId: 'p-1' } },
      'ProtocolError',
      'MALFORMED_BODY',
    ],
    [
      'a result with an unknown status, signed',
      { result: { resultCode: 'X', resultStatus: 'Q' as never } },
      'ProtocolError',
      'MALFORMED_BODY',
    ],
  ])('an answer %s → %s %s, not retried', async (_name, reply, name, code) => {
    const { client, seen } = await setup(() => reply);
    const error = await rejection(client.pay(payRequest));
    expect(error).toBeInstanceOf(OpenApiError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(seen).toHaveLength(1);
  });

  it.each<[string, { paymentId?: string; paymentRequestId?: string }, Record<string, unknown>, string]>([
    [
      'another paymentId',
      { paymentId: 'p-1' },
      { paymentId: 'p-2', paymentStatus: 'SUCCESS' },
      '"paymentId" is "p-2", not "p-1"',
    ],
    [
      'another paymentRequestId',
      { paymentRequestId: 'order-1' },
      { paymentRequestId: 'order-2', paymentStatus: 'SUCCESS' },
      '"paymentRequestId" is "order-2", not "order-1"',
    ],
  ])(
    'a signed inquiry answer about %s (a replayed or misrouted response) → ProtocolError MALFORMED_BODY',
    async (_name, request, fields, message) => {
      const { client, seen } = await setup(() => ({ result: ok, fields }));
      const error = await rejection(client.inquiryPayment(request));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.code).toBe('MALFORMED_BODY');
      expect(error.message).toContain(message);
      expect(seen).toHaveLength(1);
    },
  );

  it('accepts an inquiry answer that names the same payment, or none', async () => {
    const { client } = await setup((_req, attempt) => ({
      result: ok,
      fields: attempt === 1 ? { paymentId: 'p-1', paymentRequestId: 'order-1' } : {},
    }));
    expect((await client.inquiryPayment({ paymentId: 'p-1' })).status).toBe('S');
    expect((await client.inquiryPayment({ paymentId: 'p-1' })).status).toBe('S');
  });

  it('the unsigned-success case is a SignatureError (an unsigned S is never a result)', async () => {
    const { client } = await setup(() => ({ result: ok, unsigned: true }));
    expect(await rejection(client.inquiryPayment({ paymentId: 'p-1' }))).toBeInstanceOf(SignatureError);
  });

  it('an HTML page says it is HTML', async () => {
    const { client } = await setup(() => ({ raw: '<html><body>oops</body></html>' }));
    const error = await rejection(client.pay(payRequest));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/HTTP 200\) is not JSON: it looks like an HTML/);
  });
});

describe('OpenApiClient retries', () => {
  it('retries U with the same body (same paymentRequestId) until S, re-signing each attempt', async () => {
    const { client, seen, delays } = await setup(
      (_req, attempt) => (attempt < 3 ? { result: unknown } : { result: ok, fields: { paymentId: 'p-1' } }),
      {
        retryDelays: { initialMs: 100, maxMs: 1000 },
      },
    );
    const answer = await client.pay(payRequest);
    expect(answer.status).toBe('S');
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.rawBody)).size).toBe(1);
    expect(seen.every((s) => s.body.paymentRequestId === 'order-1-attempt-1' && s.signatureValid)).toBe(true);
    expect(delays).toEqual([75, 150]);
  });

  it('retries U up to the cap and then returns the U as a value', async () => {
    const { client, seen, delays } = await setup(() => ({ result: unknown }), {
      maxRetries: 3,
      retryDelays: [1, 2, 3],
    });
    const answer = await client.refund({
      refundRequestId: 'refund-1',
      paymentId: 'p-1',
      refundAmount: { currency: 'USD', value: '1' },
    });
    expect(answer).toMatchObject({ status: 'U', code: 'UNKNOWN_EXCEPTION' });
    expect(seen).toHaveLength(4);
    expect(seen.every((s) => s.body.refundRequestId === 'refund-1')).toBe(true);
    expect(delays).toEqual([1, 2, 3]);
  });

  it('never retries F', async () => {
    const { client, seen } = await setup(
      () => ({ result: { resultCode: 'USER_BALANCE_NOT_ENOUGH', resultStatus: 'F', resultMessage: 'no money' } }),
      {
        maxRetries: 5,
      },
    );
    expect(await client.pay(payRequest)).toMatchObject({
      status: 'F',
      code: 'USER_BALANCE_NOT_ENOUGH',
      message: 'no money',
    });
    expect(seen).toHaveLength(1);
  });

  it('retries a timeout with the same body, then succeeds', async () => {
    const { client, seen } = await setup((_req, attempt) => (attempt === 1 ? { hang: true } : { result: ok }), {
      timeoutMs: 300,
    });
    expect((await client.pay(payRequest)).status).toBe('S');
    expect(seen).toHaveLength(2);
    expect(seen[0]?.rawBody).toBe(seen[1]?.rawBody);
  });

  it('throws TimeoutError when every attempt times out', async () => {
    const { client, seen } = await setup(() => ({ hang: true }), { timeoutMs: 200, maxRetries: 1 });
    const error = await rejection(client.pay(payRequest));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.code).toBe('TIMEOUT');
    expect(seen).toHaveLength(2);
  });

  it('retries a dropped connection, then succeeds', async () => {
    const { client, seen } = await setup((_req, attempt) => (attempt === 1 ? { destroy: true } : { result: ok }));
    expect((await client.pay(payRequest)).status).toBe('S');
    expect(seen).toHaveLength(2);
    expect(seen[0]?.body.paymentRequestId).toBe(seen[1]?.body.paymentRequestId);
  });

  it('retries a gateway 503 page, then succeeds', async () => {
    const { client, seen } = await setup((_req, attempt) =>
      attempt === 1 ? { raw: '<html>503</html>', status: 503 } : { result: ok },
    );
    expect((await client.pay(payRequest)).status).toBe('S');
    expect(seen).toHaveLength(2);
  });

  it('retries a gateway 504 with its own unsigned JSON, and throws BAD_GATEWAY once the retries are spent', async () => {
    const { client, seen } = await setup(
      () => ({ raw: '{"message":"Endpoint request timed out"}', status: 504, contentType: 'application/json' }),
      {
        maxRetries: 2,
      },
    );
    const error = await rejection(client.pay(payRequest));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('BAD_GATEWAY');
    expect(seen).toHaveLength(3);
  });

  it('does not retry an unsigned JSON 500 (it is not a gateway page): SignatureError MISSING_HEADER', async () => {
    const { client, seen } = await setup(() => ({
      raw: '{"error":"boom"}',
      status: 500,
      contentType: 'application/json',
    }));
    const error = await rejection(client.pay(payRequest));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('MISSING_HEADER');
    expect(seen).toHaveLength(1);
  });

  it('throws TransportError NETWORK_ERROR after the retries when nothing listens', async () => {
    const { client, delays } = await setup(() => ({ result: ok }));
    const url = wallet!.url;
    await wallet!.close();
    wallet = undefined;
    const offline = new OpenApiClient({
      baseUrl: url,
      clientId: 'TEST_CLIENT',
      privateKey: keys.merchantRsaPrivate,
      walletPublicKey: keys.walletRsaPublic,
      maxRetries: 2,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    void client;
    const error = await rejection(offline.pay(payRequest));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(delays).toHaveLength(2);
  });

  it('uses the injected fetch and clock', async () => {
    const fetched: string[] = [];
    const { client, seen } = await setup(() => ({ result: ok }), {
      now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      fetch: (input, init) => {
        fetched.push(String(input));
        return fetch(input, init);
      },
    });
    await client.inquiryPayment({ paymentId: 'p-1' });
    expect(fetched).toEqual([`${wallet!.url}/api/open/v2/payments/inquiryPayment`]);
    expect(seen[0]?.headers['request-time']).toBe('2026-01-02T03:04:05.678+00:00');
  });
});

describe('OpenApiClient configuration', () => {
  const base = {
    baseUrl: 'http://127.0.0.1:1',
    clientId: 'C',
    privateKey: keys.merchantRsaPrivate,
    walletPublicKey: keys.walletRsaPublic,
  };

  it.each<[string, Partial<OpenApiClientOptions>, RegExp]>([
    ['a relative baseUrl', { baseUrl: '/api' }, /baseUrl must be an absolute http\(s\) URL/],
    ['no clientId', { clientId: '' }, /clientId is required/],
    ['a prefix without a slash', { pathPrefix: 'api/open' }, /pathPrefix must start with "\/"/],
    ['a negative timeout', { timeoutMs: -1 }, /timeoutMs must be a number of milliseconds > 0/],
    [
      'a zero timeout (every attempt would time out at once)',
      { timeoutMs: 0 },
      /timeoutMs must be a number of milliseconds > 0/,
    ],
    [
      'a timeout past what setTimeout holds (it would fire at once)',
      { timeoutMs: 2 ** 31 },
      /timeoutMs must be .* at most 2147483647/,
    ],
    ['a fractional maxRetries', { maxRetries: 1.5 }, /maxRetries must be a whole number >= 0/],
    [
      'a baseUrl with a query',
      { baseUrl: 'https://wallet.example/?env=test' },
      /baseUrl must be an origin with an optional path, without a query or fragment/,
    ],
    ['a baseUrl with a fragment', { baseUrl: 'https://wallet.example/#top' }, /without a query or fragment/],
    ['a pathPrefix with a query', { pathPrefix: '/api?env=test' }, /pathPrefix must start with "\/"/],
    [
      'a keyVersion that would corrupt the Signature header',
      { keyVersion: '1, signature=x' },
      /^keyVersion must be a non-negative integer/,
    ],
  ])('refuses %s, naming the option', (_name, change, message) => {
    expect(() => new OpenApiClient({ ...base, ...change })).toThrow(message);
  });

  it('refuses a baseUrl with credentials without echoing them', () => {
    const error = (() => {
      try {
        new OpenApiClient({ ...base, baseUrl: 'https://merchant:s3cret-token@wallet.example' });
      } catch (e) {
        return e as OpenApiError;
      }
      throw new Error('expected an error');
    })();
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^baseUrl must not carry credentials/);
    expect(error.message).not.toContain('s3cret-token');
  });

  it('keeps a path in baseUrl, before the prefix', async () => {
    const urls: string[] = [];
    const client = new OpenApiClient({
      ...base,
      baseUrl: 'https://wallet.example/gateway/',
      maxRetries: 0,
      fetch: async (url) => {
        urls.push(String(url));
        throw new TypeError('fetch failed');
      },
    });
    await rejection(client.inquiryPayment({ paymentId: 'p-1' }));
    expect(urls).toEqual(['https://wallet.example/gateway/api/open/v2/payments/inquiryPayment']);
  });

  it('refuses swapped keys at construction with a KeyFormatError naming the option', () => {
    expect(
      () => new OpenApiClient({ ...base, privateKey: keys.walletRsaPublic, walletPublicKey: keys.merchantRsaPrivate }),
    ).toThrow(KeyFormatError);
    expect(() => new OpenApiClient({ ...base, walletPublicKey: keys.merchantRsaPrivate })).toThrow(
      /^walletPublicKey looks like a private key, but a public key was expected/,
    );
  });

  it.each<[string, (c: OpenApiClient) => Promise<unknown>, RegExp]>([
    [
      'a decimal amount',
      (c) => c.pay({ ...payRequest, paymentAmount: { currency: 'USD', value: '100.00' } }),
      /integer number of minor units/,
    ],
    [
      'a lower-case currency',
      (c) => c.pay({ ...payRequest, paymentAmount: { currency: 'usd', value: '100' } }),
      /currency: "USD"/,
    ],
    [
      'a refund in a currency that is no ISO 4217 code',
      (c) => c.refund({ refundRequestId: 'r', paymentId: 'p', refundAmount: { currency: 'US$', value: '1' } }),
      /refundAmount must be/,
    ],
    ['a long paymentRequestId', (c) => c.pay({ ...payRequest, paymentRequestId: 'x'.repeat(65) }), /at most 64/],
    ['an inquiry without ids', (c) => c.inquiryPayment({}), /paymentId or paymentRequestId is required/],
    ['applyToken without authCode', (c) => c.applyToken({ grantType: 'AUTHORIZATION_CODE' }), /authCode is required/],
  ])('rejects %s before sending anything', async (_name, call, message) => {
    const client = new OpenApiClient(base);
    const error = await rejection(call(client));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });
});
