// The pooled forms (signAsync, verifyAsync, signRequestAsync, verifyRequestAsync, signedResponseAsync,
// verifyResponseAsync, verifyNotificationAsync) against the synchronous ones, case by case: the same signatures
// (RSA PKCS#1 v1.5 is deterministic), the same verdicts, the same errors (class, code, message), delivered as a
// rejection and never thrown at the caller; and the event loop turns while a batch of them runs.
import { generateKeyPairSync } from 'node:crypto';
import {
  sign,
  signAsync,
  signedResponse,
  signedResponseAsync,
  signRequest,
  signRequestAsync,
  verify,
  verifyAsync,
  verifyNotification,
  verifyNotificationAsync,
  verifyRequest,
  verifyRequestAsync,
  verifyResponse,
  verifyResponseAsync,
  type SignOptions,
  type SignedResponseOptions,
  type SignRequestOptions,
  type VerifyOptions,
  type VerifyRequestOptions,
  type VerifyResponseOptions,
} from '@minipay/openapi';
import { fixture, keys } from './helpers';

/** What a call came to: its value, or what it threw (class, code, message). */
type Outcome = { value: unknown } | { error: { name: string; code: unknown; message: string; type: string } };

function describeError(error: unknown): Outcome {
  const e = error as Error & { code?: unknown };
  return { error: { name: e.name, code: e.code, message: e.message, type: e.constructor.name } };
}

function settle(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    return describeError(error);
  }
}

/** The outcome of a pooled call; fails the test if the call throws instead of returning a promise. */
async function settlePooled(run: () => Promise<unknown>): Promise<Outcome> {
  let promise: Promise<unknown>;
  try {
    promise = run();
  } catch (error) {
    throw new Error(`the pooled form threw synchronously instead of rejecting: ${String(error)}`);
  }
  expect(promise).toBeInstanceOf(Promise);
  try {
    return { value: await promise };
  } catch (error) {
    return describeError(error);
  }
}

const time = '2026-01-02T03:04:05.678+00:00';
const sentAt = new Date(time);
const path = '/api/open/v2/payments/pay';
const body = '{"paymentRequestId":"r-1","paymentAmount":{"currency":"USD","value":"10000"},"note":"café ✓"}';
const message = { method: 'POST', path, clientId: 'TEST_CLIENT', time, body };
const shortRsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;

describe('signAsync and sign', () => {
  const cases: Array<[string, Partial<SignOptions>]> = [
    ['RSA256', { privateKey: keys.merchantRsaPrivate }],
    ['RSA256 with a key version', { privateKey: keys.merchantRsaPrivate, keyVersion: 'v2.1' }],
    ['RSA256, a Buffer body', { privateKey: keys.merchantRsaPrivate, body: Buffer.from(body) }],
    ['an unknown algorithm', { privateKey: keys.merchantRsaPrivate, algorithm: 'RSA512' as never }],
    ['a key version with a comma', { privateKey: keys.merchantRsaPrivate, keyVersion: '1,x=2' }],
    ['a parsed body', { privateKey: keys.merchantRsaPrivate, body: { a: 1 } as never }],
    ['an empty method', { privateKey: keys.merchantRsaPrivate, method: '' }],
    ['a full URL as path', { privateKey: keys.merchantRsaPrivate, path: 'https://wallet.example/pay' }],
    ['a key that does not parse', { privateKey: 'not a key' }],
    ['a public key', { privateKey: keys.merchantRsaPublic }],
    ['an RSA key for ECC224', { privateKey: keys.merchantRsaPrivate, algorithm: 'ECC224' }],
    ['a 1024-bit RSA key', { privateKey: shortRsa }],
  ];

  it.each(cases)('%s: the same header or the same error', async (_name, change) => {
    const options = { ...message, ...change } as SignOptions;
    const pooled = await settlePooled(() => signAsync(options));
    expect(pooled).toEqual(settle(() => sign(options)));
  });

  it('ECC224: a different signature each time (ECDSA is randomised), each one verifying with both forms', async () => {
    const options = { ...message, privateKey: keys.merchantEccPrivate, algorithm: 'ECC224' as const };
    const header = await signAsync(options);
    expect(header).toMatch(/^algorithm=ECC224, keyVersion=1, signature=[A-Za-z0-9%]+$/);
    const check = { ...message, signature: header, publicKey: keys.merchantEccPublic };
    expect(verify(check)).toBe(true);
    await expect(verifyAsync(check)).resolves.toBe(true);
    expect(verify({ ...message, signature: sign(options), publicKey: keys.merchantEccPublic })).toBe(true);
  });
});

describe('verifyAsync and verify', () => {
  const rsaHeader = sign({ ...message, privateKey: keys.merchantRsaPrivate });
  const eccHeader = sign({ ...message, privateKey: keys.merchantEccPrivate, algorithm: 'ECC224' });
  // A DER that OpenSSL cannot even parse as an ECDSA signature (it throws rather than answering false).
  const brokenEcc = `algorithm=ECC224, keyVersion=1, signature=${encodeURIComponent(Buffer.from([0x30, 0x02, 0x02, 0x00]).toString('base64'))}`;
  const cases: Array<[string, Partial<VerifyOptions>]> = [
    ['a valid RSA256 signature', { signature: rsaHeader, publicKey: keys.merchantRsaPublic }],
    ['a valid ECC224 signature', { signature: eccHeader, publicKey: keys.merchantEccPublic }],
    ['the wrong key', { signature: rsaHeader, publicKey: keys.walletRsaPublic }],
    ['a changed body', { signature: rsaHeader, publicKey: keys.merchantRsaPublic, body: body.replace('1', '2') }],
    ['a changed path', { signature: rsaHeader, publicKey: keys.merchantRsaPublic, path: '/v2/payments/pay' }],
    ['a header that is not one', { signature: 'nonsense', publicKey: keys.merchantRsaPublic }],
    ['no signature at all', { signature: undefined as never, publicKey: keys.merchantRsaPublic }],
    ['ECC224 with an RSA key', { signature: eccHeader, publicKey: keys.merchantRsaPublic }],
    ['a structurally broken ECDSA signature', { signature: brokenEcc, publicKey: keys.merchantEccPublic }],
    ['a method that is not a string', { signature: rsaHeader, publicKey: keys.merchantRsaPublic, method: 1 as never }],
    ['a parsed body', { signature: rsaHeader, publicKey: keys.merchantRsaPublic, body: {} as never }],
    ['a key that does not parse', { signature: rsaHeader, publicKey: 'MIIB' }],
    ['a private key', { signature: rsaHeader, publicKey: keys.merchantRsaPrivate }],
  ];

  it.each(cases)('%s: the same verdict or the same error', async (_name, change) => {
    const options = { ...message, ...change } as VerifyOptions;
    const pooled = await settlePooled(() => verifyAsync(options));
    expect(pooled).toEqual(settle(() => verify(options)));
  });

  it('the table has both verdicts and errors in it (so that it proves something)', () => {
    const outcomes = cases.map(([, change]) => settle(() => verify({ ...message, ...change } as VerifyOptions)));
    expect(outcomes).toContainEqual({ value: true });
    expect(outcomes).toContainEqual({ value: false });
    expect(outcomes.some((o) => 'error' in o)).toBe(true);
  });
});

describe('signRequestAsync and signRequest', () => {
  const base: SignRequestOptions = { path, clientId: 'TEST_CLIENT', body, privateKey: keys.merchantRsaPrivate };
  const cases: Array<[string, Partial<SignRequestOptions>]> = [
    ['a Date clock', { now: sentAt }],
    ['a function clock, GET, a key version', { now: () => sentAt, method: 'GET', keyVersion: 3 }],
    ['a parsed body', { now: sentAt, body: { a: 1 } as never }],
    ['no client id', { now: sentAt, clientId: '' }],
    ['a clock that is not one', { now: 'yesterday' as never }],
    ['a key that does not parse', { now: sentAt, privateKey: fixture('test-broken-pkcs8-private.pem') }],
  ];

  it.each(cases)('%s: the same headers or the same error', async (_name, change) => {
    const options = { ...base, ...change };
    const pooled = await settlePooled(() => signRequestAsync(options));
    expect(pooled).toEqual(settle(() => signRequest(options)));
  });
});

describe('verifyRequestAsync and verifyRequest', () => {
  const headers = signRequest({
    path,
    clientId: 'TEST_CLIENT',
    body,
    privateKey: keys.merchantRsaPrivate,
    now: sentAt,
  });
  const base: VerifyRequestOptions = { headers, rawBody: body, publicKey: keys.merchantRsaPublic, path, now: sentAt };
  const without = (name: string) => Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
  const notJson = 'not json';
  const notJsonHeaders = signRequest({
    path,
    clientId: 'TEST_CLIENT',
    body: notJson,
    privateKey: keys.merchantRsaPrivate,
    now: sentAt,
  });
  const cases: Array<[string, Partial<VerifyRequestOptions>]> = [
    ['a valid request', {}],
    ['a key lookup by Client-Id', { publicKey: (id) => (id === 'TEST_CLIENT' ? keys.merchantRsaPublic : undefined) }],
    ['an unknown Client-Id', { publicKey: () => null }],
    ['no Client-Id', { headers: without('Client-Id') }],
    ['no Request-Time', { headers: without('Request-Time') }],
    ['no Signature', { headers: without('Signature') }],
    ['a Request-Time in epoch seconds', { headers: { ...headers, 'Request-Time': '1767323045' } }],
    ['a Signature header that is not one', { headers: { ...headers, Signature: 'algorithm=RSA256' } }],
    ['a wrong signature', { publicKey: keys.walletRsaPublic }],
    ['a changed body', { rawBody: body.replace('r-1', 'r-2') }],
    ['the path without its prefix', { path: '/v2/payments/pay' }],
    ['a full URL as path', { path: `http://127.0.0.1${path}` }],
    ['ten minutes late', { now: new Date(sentAt.getTime() + 600_000) }],
    ['a negative tolerance', { toleranceSeconds: -1 }],
    ['a parsed body', { rawBody: JSON.parse(body) as never }],
    ['headers that are not headers', { headers: 'Client-Id: x' as never }],
    ['a signed body that is not JSON', { headers: notJsonHeaders, rawBody: notJson }],
    ['a public key that does not parse', { publicKey: 'not a key' }],
  ];

  it.each(cases)('%s: the same result or the same error', async (_name, change) => {
    const options = { ...base, ...change };
    const pooled = await settlePooled(() => verifyRequestAsync(options));
    expect(pooled).toEqual(settle(() => verifyRequest(options)));
  });

  it('the table covers the verifier: success and every SignatureError code it can throw', () => {
    const codes = cases.map(([, change]) => {
      const outcome = settle(() => verifyRequest({ ...base, ...change }));
      return 'error' in outcome ? outcome.error.code : 'OK';
    });
    expect(new Set(codes)).toEqual(
      new Set([
        'OK',
        'KEY_NOT_FOUND',
        'MISSING_HEADER',
        'MALFORMED_HEADER',
        'INVALID_SIGNATURE',
        'REQUEST_TIME_OUTSIDE_WINDOW',
        'INVALID_ARGUMENT',
        'BODY_NOT_RAW',
        'NOT_JSON',
        'INVALID_KEY',
      ]),
    );
  });
});

describe('verifyNotificationAsync and verifyNotification', () => {
  const notification = (fields: Record<string, unknown>) => {
    const rawBody = JSON.stringify({
      paymentId: 'p-1',
      paymentRequestId: 'order-42-1',
      paymentResult: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
      paymentAmount: { currency: 'USD', value: '1250' },
      ...fields,
    });
    const headers = signRequest({
      path: '/notify/payment',
      clientId: 'TEST_CLIENT',
      body: rawBody,
      privateKey: keys.walletRsaPrivate,
      now: sentAt,
    });
    return { headers, rawBody, publicKey: keys.walletRsaPublic, path: '/notify/payment', now: sentAt };
  };
  const cases: Array<[string, VerifyRequestOptions]> = [
    ['a valid notification', notification({})],
    ['no paymentId', notification({ paymentId: undefined })],
    ['an amount that is a number', notification({ paymentAmount: { currency: 'USD', value: 1250 } })],
    ['a result status that is not one', notification({ paymentResult: { resultCode: 'X', resultStatus: 'Q' } })],
    ["the merchant's key instead of the wallet's", { ...notification({}), publicKey: keys.merchantRsaPublic }],
  ];

  it.each(cases)('%s: the same body or the same error', async (_name, options) => {
    const pooled = await settlePooled(() => verifyNotificationAsync(options));
    expect(pooled).toEqual(settle(() => verifyNotification(options)));
  });
});

describe('signedResponseAsync and signedResponse', () => {
  const base: SignedResponseOptions = {
    clientId: 'TEST_CLIENT',
    privateKey: keys.merchantRsaPrivate,
    path: '/notify/payment',
    now: sentAt,
  };
  const cases: Array<[string, Partial<SignedResponseOptions>]> = [
    ['the default SUCCESS', {}],
    ['a result', { result: { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: 'no' } }],
    ['a whole body', { body: { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, extra: 1 } }],
    ['result and body', { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, body: '{}' }],
    ['a result status that is not one', { result: { resultCode: 'X', resultStatus: 'Z' as never } }],
    ['an ECC key with RSA256', { privateKey: keys.merchantEccPrivate }],
  ];

  it.each(cases)('%s: the same headers and body or the same error', async (_name, change) => {
    const options = { ...base, ...change };
    const pooled = await settlePooled(() => signedResponseAsync(options));
    expect(pooled).toEqual(settle(() => signedResponse(options)));
  });
});

describe('verifyResponseAsync and verifyResponse', () => {
  const answer = signedResponse({
    body: { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' }, paymentId: 'p-1' },
    clientId: 'TEST_CLIENT',
    privateKey: keys.walletRsaPrivate,
    path,
    now: sentAt,
  });
  const base: VerifyResponseOptions = {
    headers: answer.headers,
    rawBody: answer.body,
    path,
    publicKey: keys.walletRsaPublic,
    clientId: 'TEST_CLIENT',
    httpStatus: 200,
  };
  const cases: Array<[string, Partial<VerifyResponseOptions>]> = [
    ['a valid answer', {}],
    ['an HTML error page', { rawBody: '<html>Bad Gateway</html>', httpStatus: 502 }],
    ['no Response-Time', { headers: { ...answer.headers, 'response-time': undefined } as never }],
    ['an answer for another merchant', { clientId: 'OTHER_CLIENT' }],
    ['a tampered body', { rawBody: answer.body.replace('p-1', 'p-2') }],
    ["the merchant's key", { publicKey: keys.merchantRsaPublic }],
    ['a fetch Headers object', { headers: new Headers(answer.headers) }],
  ];

  it.each(cases)('%s: the same body or the same error', async (_name, change) => {
    const options = { ...base, ...change };
    const pooled = await settlePooled(() => verifyResponseAsync(options));
    expect(pooled).toEqual(settle(() => verifyResponse(options)));
  });
});

describe('the event loop while signatures run in the pool', () => {
  const BATCH = 48;
  const batch = () =>
    Array.from({ length: BATCH }, (_, i) => ({
      ...message,
      body: `{"n":${i}}`,
      privateKey: keys.merchantRsaPrivate,
    }));

  /** How many times a setImmediate chain ran (each run is one turn of the event loop) while `work` was pending. */
  async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
    let turns = 0;
    let done = false;
    const spin = () => {
      if (done) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    await work();
    done = true;
    return turns;
  }

  it('keeps turning while a batch of RSA signatures is computed by signAsync', async () => {
    // Warm the key cache, so that what is measured is signing.
    await signAsync(batch()[0]!);
    let signatures: string[] = [];
    const turns = await turnsDuring(async () => {
      signatures = await Promise.all(batch().map((options) => signAsync(options)));
    });
    // Each signature takes a few hundred microseconds of a pool thread; the loop is free to turn all along.
    expect(turns).toBeGreaterThanOrEqual(BATCH / 4);
    expect(signatures).toEqual(batch().map((options) => sign(options)));
  });

  it('would catch a blocking form: the same batch signed synchronously lets the loop turn at most once', async () => {
    const turns = await turnsDuring(async () => {
      for (const options of batch()) sign(options);
    });
    expect(turns).toBeLessThanOrEqual(1);
  });
});
