// The request log (GET /sandbox/requests) and the doctor's short form in resultMessage: every OpenAPI call with its
// headers as sent, raw body, verdict, diagnosis and signed answer; newest first, filtered, bounded, no secrets.
import { keyFingerprint, sign, signRequest, verifyResponse } from '@minipay/openapi';
import { call, json, payRequest, postRaw, startTestSandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());
beforeEach(async () => {
  await json(t, 'DELETE', '/sandbox/requests');
});

const PAY = '/api/open/v2/payments/pay';

/** A pay request signed as a merchant with `change` applied to what is signed. */
function signedPay(change: { signedPath?: string; privateKey?: string; body?: string } = {}) {
  const raw = change.body ?? JSON.stringify(payRequest());
  const headers = signRequest({
    path: change.signedPath ?? PAY,
    clientId: t.home.clientId,
    body: raw,
    privateKey: change.privateKey ?? t.home.merchantPrivateKey,
  });
  return { raw, headers };
}

async function requests(query = ''): Promise<any[]> {
  const answer = await json(t, 'GET', `/sandbox/requests${query}`);
  expect(answer.status).toBe(200);
  return answer.body.requests;
}

describe('a refused request: the short diagnosis in resultMessage, the whole one in the log', () => {
  test.each<[string, { signedPath?: string; walletKey?: boolean }, string, RegExp]>([
    [
      'signed over the path without the prefix',
      { signedPath: '/v2/payments/pay' },
      'PATH_PREFIX_MISSING',
      /signed over \/v2\/payments\/pay, without the prefix \/api\/open/,
    ],
    [
      'signed with the wallet key',
      { walletKey: true },
      'WRONG_KEY',
      /signed with the key of wallet-public\.pem, not merchant-public\.pem/,
    ],
  ])('%s: F INVALID_SIGNATURE saying so, and the log names the cause', async (_name, change, cause, said) => {
    const { raw, headers } = signedPay({
      ...(change.signedPath ? { signedPath: change.signedPath } : {}),
      ...(change.walletKey ? { privateKey: t.home.walletPrivateKey } : {}),
    });
    const answer = await postRaw(t, PAY, raw, headers);
    expect(answer.body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'INVALID_SIGNATURE',
      resultMessage: expect.stringMatching(said),
    });
    expect(answer.body.result.resultMessage).toMatch(/\(details: GET \/sandbox\/requests\)$/);
    expect(answer.body.result.resultMessage?.length).toBeLessThanOrEqual(256);
    const [entry] = await requests();
    expect(entry).toMatchObject({
      verdict: 'refused',
      path: PAY,
      clientId: t.home.clientId,
      diagnosis: { cause, verified: false },
    });
    expect(entry.diagnosisText).toContain(`cause:        ${cause}`);
    expect(entry.diagnosis.keyTried.fingerprint).toBe(keyFingerprint(t.home.merchantPublicKey));
    if (cause === 'WRONG_KEY')
      expect(entry.diagnosis.keyThatVerifies.fingerprint).toBe(keyFingerprint(t.home.walletPublicKey));
  });

  test('a Request-Time the sandbox does not accept: F PARAM_ILLEGAL listing the accepted forms', async () => {
    const raw = JSON.stringify(payRequest());
    const time = String(Math.floor(Date.now() / 1000));
    const signature = sign({
      method: 'POST',
      path: PAY,
      clientId: t.home.clientId,
      time,
      body: raw,
      privateKey: t.home.merchantPrivateKey,
    });
    const answer = await postRaw(t, PAY, raw, {
      'Client-Id': t.home.clientId,
      'Request-Time': time,
      Signature: signature,
    });
    expect(answer.body.result).toMatchObject({
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: expect.stringContaining('epoch seconds? send milliseconds'),
    });
    expect(answer.body.result.resultMessage).toContain('or epoch milliseconds, e.g. 1796114156235');
    expect((await requests())[0].diagnosis.cause).toBe('TIME_FORMAT_NOT_ACCEPTED');
  });
});

describe('GET /sandbox/requests', () => {
  test('an entry holds the headers as sent, the raw body, the verdict, the content and the signed answer', async () => {
    const raw = JSON.stringify(payRequest(), null, 3);
    const headers = signRequest({
      path: PAY,
      clientId: t.home.clientId,
      body: raw,
      privateKey: t.home.merchantPrivateKey,
    });
    const sent = await postRaw(t, PAY, raw, {
      'client-id': headers['Client-Id']!,
      'Request-Time': headers['Request-Time']!,
      Signature: headers.Signature!,
    });
    const [entry] = await requests();
    expect(entry).toMatchObject({
      id: expect.any(Number),
      method: 'POST',
      path: PAY,
      target: null,
      clientId: t.home.clientId,
      verdict: 'verified',
      diagnosis: null,
      content: {
        contentHead: `POST ${PAY}\n${t.home.clientId}.${headers['Request-Time']}.`,
        body: { length: Buffer.byteLength(raw) },
      },
      request: { body: raw, masked: [] },
      answer: { status: 200, body: sent.raw, result: { resultStatus: 'A', resultCode: 'ACCEPT' } },
    });
    // Header names in the case they were sent.
    expect(entry.request.headers).toEqual(
      expect.arrayContaining([
        ['client-id', t.home.clientId],
        ['Request-Time', headers['Request-Time']],
      ]),
    );
    // The logged answer is the one that was sent, and verifies.
    expect(
      verifyResponse({
        headers: entry.answer.headers,
        rawBody: entry.answer.body,
        path: PAY,
        publicKey: t.home.walletPublicKey,
      }),
    ).toMatchObject({
      paymentId: sent.body.paymentId,
    });
  });

  test('newest first, filtered by path, client and verdict', async () => {
    await call(t, '/v2/payments/pay', payRequest());
    await call(t, '/v2/payments/inquiryPayment', { paymentId: 'nope' });
    const { raw, headers } = signedPay({ signedPath: '/v2/payments/pay' });
    await postRaw(t, PAY, raw, headers);
    expect((await requests()).map((entry) => [entry.path, entry.verdict])).toEqual([
      [PAY, 'refused'],
      ['/api/open/v2/payments/inquiryPayment', 'verified'],
      [PAY, 'verified'],
    ]);
    expect((await requests('?path=inquiryPayment')).map((entry) => entry.path)).toEqual([
      '/api/open/v2/payments/inquiryPayment',
    ]);
    expect((await requests('?verdict=refused')).map((entry) => entry.verdict)).toEqual(['refused']);
    expect(await requests('?client=SOMEONE_ELSE')).toEqual([]);
    expect(await requests(`?client=${t.home.clientId}&verdict=verified&path=/v2/payments/pay`)).toHaveLength(1);
    expect(await requests('?limit=1')).toHaveLength(1);
  });

  test.each([
    ['?verdict=maybe', /^verdict must be one of verified, refused, unread/],
    ['?limit=0', /^limit must be a whole number from 1 to 1000/],
    ['?limit=many', /^limit must be a whole number/],
  ])('%s is 400 BAD_REQUEST naming the parameter', async (query, message) => {
    const answer = await json(t, 'GET', `/sandbox/requests${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(message) });
  });

  test('a request that was never read (a body over 1 MiB) is logged as unread, with its signed answer', async () => {
    const raw = JSON.stringify({ ...payRequest(), extendInfo: 'x'.repeat(1024 * 1024) });
    const headers = signRequest({
      path: PAY,
      clientId: t.home.clientId,
      body: raw,
      privateKey: t.home.merchantPrivateKey,
    });
    await postRaw(t, PAY, raw, headers);
    const [entry] = await requests();
    expect(entry).toMatchObject({
      verdict: 'unread',
      content: null,
      answer: { result: { resultCode: 'PARAM_ILLEGAL' } },
    });
  });

  test('tokens and auth codes are masked in logged bodies, and no key is ever there', async () => {
    const { body: code } = await json(t, 'POST', '/sandbox/auth-codes', {});
    const granted = await call(t, '/v2/authorizations/applyToken', {
      grantType: 'AUTHORIZATION_CODE',
      authCode: code.authCode,
    });
    const { accessToken, refreshToken } = granted.body;
    await call(t, '/v2/authorizations/applyToken', { grantType: 'REFRESH_TOKEN', refreshToken });
    const log = JSON.stringify((await json(t, 'GET', '/sandbox/requests')).body);
    for (const secret of [code.authCode, accessToken, refreshToken]) {
      expect(log).not.toContain(secret);
      expect(log).toContain(`****${secret.slice(-4)}`);
    }
    expect(log).not.toContain('PRIVATE KEY');
    for (const pem of [t.home.merchantPrivateKey, t.home.walletPrivateKey]) {
      expect(log).not.toContain(
        pem
          .replace(/-----[^-]+-----/g, '')
          .replace(/\s+/g, '')
          .slice(30, 70),
      );
    }
    const [refresh] = await requests();
    expect(refresh.request.masked).toEqual(['refreshToken']);
    expect(refresh.answer.masked).toEqual(['accessToken', 'refreshToken']);
  });
});

test('a body over 64 KiB is kept cut (marked truncated), with the length and SHA-256 of the whole of it', async () => {
  await json(t, 'DELETE', '/sandbox/requests');
  const raw = JSON.stringify({ paymentId: 'x'.repeat(100 * 1024) });
  await call(t, '/v2/payments/inquiryPayment', JSON.parse(raw));
  const [entry] = await requests();
  expect(entry.request).toMatchObject({ truncated: true });
  expect(entry.request.body).toHaveLength(64 * 1024);
  expect(entry.content.body.length).toBe(Buffer.byteLength(raw));
  expect(entry.answer.truncated).toBe(false);
});

test('the log keeps the last requestLogSize calls and drops the oldest', async () => {
  const small = await startTestSandbox({ requestLogSize: 3 });
  try {
    for (let i = 1; i <= 5; i++) await call(small, '/v2/payments/inquiryPayment', { paymentId: `p-${i}` });
    const answer = await json(small, 'GET', '/sandbox/requests');
    expect(answer.body).toMatchObject({ count: 3, size: 3 });
    expect(answer.body.requests.map((entry: any) => JSON.parse(entry.request.body).paymentId)).toEqual([
      'p-5',
      'p-4',
      'p-3',
    ]);
  } finally {
    await small.close();
  }
});
