// The wallet side of the signed OpenAPI: who may call, what a valid signature is, and body validation.
import { formatRequestTime, signRequest, verifyResponse } from '@minipay/openapi';
import { call, opensslSignature, payRequest, postRaw, startTestSandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const PAY = '/api/open/v2/payments/pay';

function opensslHeaders(
  path: string,
  raw: string,
  options: { time?: string; clientId?: string; signedPath?: string; signedBody?: string } = {},
) {
  const clientId = options.clientId ?? t.home.clientId;
  const time = options.time ?? formatRequestTime();
  const content = `POST ${options.signedPath ?? path}\n${clientId}.${time}.${options.signedBody ?? raw}`;
  return {
    'Content-Type': 'application/json; charset=UTF-8',
    'Client-Id': clientId,
    'Request-Time': time,
    Signature: opensslSignature(content, t.home.paths.merchantPrivateKey),
  };
}

describe('signatures made by the openssl CLI', () => {
  test('a pay request signed by openssl is accepted: A ACCEPT with the cashier URL, answer signed by the wallet', async () => {
    const raw = JSON.stringify(payRequest());
    const answer = await postRaw(t, PAY, raw, opensslHeaders(PAY, raw));
    expect(answer.status).toBe(200);
    expect(answer.body.result).toEqual({ resultStatus: 'A', resultCode: 'ACCEPT', resultMessage: 'accepted' });
    expect(answer.body.redirectActionForm.redirectionUrl).toBe(`${t.sandbox.url}/cashier/${answer.body.paymentId}`);
    expect(answer.headers.get('client-id')).toBe(t.home.clientId);
  });

  test('an inquiry signed by openssl is accepted', async () => {
    const path = '/api/open/v2/payments/inquiryPayment';
    const created = await call(t, '/v2/payments/pay', payRequest());
    const raw = JSON.stringify({ paymentId: created.body.paymentId });
    const answer = await postRaw(t, path, raw, opensslHeaders(path, raw));
    expect(answer.body.result.resultStatus).toBe('S');
    expect(answer.body.paymentStatus).toBe('PROCESSING');
  });

  const tampered: Array<[string, (raw: string) => { path: string; raw: string; headers: Record<string, string> }]> = [
    [
      'its body changed after signing',
      (raw) => ({ path: PAY, raw: raw.replace('1250', '1'), headers: opensslHeaders(PAY, raw) }),
    ],
    [
      'a signature for another path',
      (raw) => ({ path: PAY, raw, headers: opensslHeaders(PAY, raw, { signedPath: '/api/open/v2/payments/refund' }) }),
    ],
    [
      'a signature over the path without its prefix',
      (raw) => ({ path: PAY, raw, headers: opensslHeaders(PAY, raw, { signedPath: '/v2/payments/pay' }) }),
    ],
    [
      'its Request-Time changed after signing',
      (raw) => {
        const headers = opensslHeaders(PAY, raw);
        return {
          path: PAY,
          raw,
          headers: { ...headers, 'Request-Time': formatRequestTime(new Date(Date.now() - 1000)) },
        };
      },
    ],
    [
      'signed with the wallet key instead of the merchant key',
      (raw) => {
        const time = formatRequestTime();
        const content = `POST ${PAY}\n${t.home.clientId}.${time}.${raw}`;
        return {
          path: PAY,
          raw,
          headers: {
            'Client-Id': t.home.clientId,
            'Request-Time': time,
            Signature: opensslSignature(content, t.home.paths.walletPrivateKey),
          },
        };
      },
    ],
    [
      'a signature that is not Base64',
      (raw) => ({
        path: PAY,
        raw,
        headers: { ...opensslHeaders(PAY, raw), Signature: 'algorithm=RSA256, keyVersion=1, signature=%%%' },
      }),
    ],
  ];
  test.each(tampered)('F INVALID_SIGNATURE (a signed answer) for a request with %s', async (_name, make) => {
    const request = make(JSON.stringify(payRequest()));
    const answer = await postRaw(t, request.path, request.raw, request.headers);
    expect(answer.status).toBe(200);
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect((answer.body.result.resultMessage ?? '').length).toBeLessThanOrEqual(256);
  });
});

describe('who may call', () => {
  test('an unknown Client-Id gets F ACCESS_DENIED naming the registered client, with the unknown id echoed', async () => {
    const raw = JSON.stringify(payRequest());
    const answer = await postRaw(t, PAY, raw, opensslHeaders(PAY, raw, { clientId: 'SOMEONE_ELSE' }));
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ACCESS_DENIED' });
    expect(answer.body.result.resultMessage).toContain(t.home.clientId);
    expect(answer.headers.get('client-id')).toBe('SOMEONE_ELSE');
  });

  test('a keyVersion the sandbox does not hold gets F KEY_NOT_FOUND', async () => {
    const raw = JSON.stringify(payRequest());
    const headers = opensslHeaders(PAY, raw);
    const answer = await postRaw(t, PAY, raw, {
      ...headers,
      Signature: headers.Signature.replace('keyVersion=1', 'keyVersion=2'),
    });
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'KEY_NOT_FOUND' });
  });

  const missing: Array<[string, string, string]> = [
    ['Client-Id', 'PARAM_ILLEGAL', 'Client-Id'],
    ['Signature', 'INVALID_SIGNATURE', 'Signature'],
    ['Request-Time', 'PARAM_ILLEGAL', 'Request-Time'],
  ];
  test.each(missing)('a request without %s gets F %s naming the header', async (name, code, named) => {
    const raw = JSON.stringify(payRequest());
    const headers: Record<string, string> = opensslHeaders(PAY, raw);
    delete headers[name];
    const answer = await postRaw(t, PAY, raw, headers);
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: code });
    expect(answer.body.result.resultMessage).toContain(named);
  });

  test.each([
    ['6 minutes old', -6 * 60_000],
    ['6 minutes ahead', 6 * 60_000],
  ])(
    'a correctly signed request whose Request-Time is %s is rejected (F PARAM_ILLEGAL naming Request-Time)',
    async (_name, offset) => {
      const answer = await call(t, '/v2/payments/pay', payRequest(), { now: new Date(Date.now() + offset) });
      expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
      expect(answer.body.result.resultMessage).toMatch(/Request-Time/);
    },
  );

  test('a Request-Time that is not ISO 8601 with an offset gets F PARAM_ILLEGAL naming Request-Time', async () => {
    const raw = JSON.stringify(payRequest());
    const answer = await postRaw(t, PAY, raw, opensslHeaders(PAY, raw, { time: '2026-11-21 21:00:00' }));
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(answer.body.result.resultMessage).toContain('Request-Time');
  });

  test('a Request-Time 4 minutes old is still inside the window', async () => {
    const answer = await call(t, '/v2/payments/pay', payRequest(), { now: new Date(Date.now() - 4 * 60_000) });
    expect(answer.body.result.resultCode).toBe('ACCEPT');
  });

  test('the window follows the injected clock', async () => {
    const walletTime = new Date('2030-01-01T00:00:00.000Z');
    const shifted = await startTestSandbox({ now: () => walletTime });
    try {
      const onTime = await call(shifted, '/v2/payments/pay', payRequest(), { now: walletTime });
      expect(onTime.body.result.resultCode).toBe('ACCEPT');
      const realTime = await call(shifted, '/v2/payments/pay', payRequest());
      expect(realTime.body.result.resultCode).toBe('PARAM_ILLEGAL');
    } finally {
      await shifted.close();
    }
  });

  test('an unknown API under the prefix is a signed F INVALID_API', async () => {
    const answer = await call(t, '/v2/payments/capture', { paymentId: 'x' });
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_API' });
  });
});

describe('body validation: F PARAM_ILLEGAL naming the field', () => {
  const long = (n: number) => 'x'.repeat(n);
  const pay: Array<[string, string, (body: any) => void]> = [
    ['paymentRequestId', 'missing', (b) => delete b.paymentRequestId],
    ['paymentRequestId', '65 characters long', (b) => (b.paymentRequestId = long(65))],
    ['paymentAmount', 'missing', (b) => delete b.paymentAmount],
    ['paymentAmount.value', 'a number, not a string', (b) => (b.paymentAmount.value = 1250)],
    ['paymentAmount.value', 'in major units ("12.50")', (b) => (b.paymentAmount.value = '12.50')],
    ['paymentAmount.value', 'negative', (b) => (b.paymentAmount.value = '-1')],
    ['paymentAmount.value', 'zero', (b) => (b.paymentAmount.value = '0')],
    ['paymentAmount.currency', 'in lowercase', (b) => (b.paymentAmount.currency = 'usd')],
    ['paymentAmount.currency', 'two letters', (b) => (b.paymentAmount.currency = 'US')],
    ['paymentAmount.currency', 'missing', (b) => delete b.paymentAmount.currency],
    ['paymentAmount.currency', 'not an ISO 4217 currency ("XYZ")', (b) => (b.paymentAmount.currency = 'XYZ')],
    ['paymentAmount.value', 'with leading zeros ("007")', (b) => (b.paymentAmount.value = '007')],
    ['order.orderAmount.currency', 'the testing code XTS', (b) => (b.order.orderAmount.currency = 'XTS')],
    ['order', 'missing', (b) => delete b.order],
    ['order.referenceOrderId', 'missing', (b) => delete b.order.referenceOrderId],
    ['order.referenceOrderId', '65 characters long', (b) => (b.order.referenceOrderId = long(65))],
    ['order.orderDescription', '257 characters long', (b) => (b.order.orderDescription = long(257))],
    ['order.orderAmount', 'missing', (b) => delete b.order.orderAmount],
    ['order.orderAmount.value', 'in exponent notation', (b) => (b.order.orderAmount.value = '1e3')],
    ['order.orderCreateTime', 'without an offset', (b) => (b.order.orderCreateTime = '2026-01-01T00:00:00')],
    ['paymentNotifyUrl', 'not http(s)', (b) => (b.paymentNotifyUrl = 'ftp://merchant.example/notify')],
    [
      'paymentNotifyUrl',
      'over 1024 characters',
      (b) => (b.paymentNotifyUrl = `https://merchant.example/${long(1010)}`),
    ],
    ['extendInfo', 'over 4096 characters', (b) => (b.extendInfo = long(4097))],
    ['paymentExpiryTime', 'not a time', (b) => (b.paymentExpiryTime = 'tomorrow')],
    // Not on the calendar: refused, never rolled over into 2 March or the next day (the one parser, parseIsoTime).
    ['paymentExpiryTime', 'on 30 February', (b) => (b.paymentExpiryTime = '2099-02-30T10:00:00+08:00')],
    ['paymentExpiryTime', 'at hour 24', (b) => (b.paymentExpiryTime = '2099-03-01T24:00:00Z')],
    ['paymentExpiryTime', 'in month 13', (b) => (b.paymentExpiryTime = '2099-13-01T10:00:00Z')],
    ['order.orderCreateTime', 'on 31 April', (b) => (b.order.orderCreateTime = '2026-04-31T10:00:00Z')],
    [
      'paymentExpiryTime',
      'in the past',
      (b) => (b.paymentExpiryTime = formatRequestTime(new Date(Date.now() - 60_000))),
    ],
  ];
  test.each(pay)('pay with %s %s', async (field, _problem, mutate) => {
    const body = payRequest();
    mutate(body);
    const answer = await call(t, '/v2/payments/pay', body);
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(answer.body.result.resultMessage).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}\\b`));
  });

  const others: Array<[string, string, string, unknown]> = [
    // [what is wrong, the field the message must name, API, body]
    ['inquiryPayment without any id', 'paymentId', '/v2/payments/inquiryPayment', {}],
    ['cancel with a numeric paymentId', 'paymentId', '/v2/payments/cancel', { paymentId: 42 }],
    [
      'refund without refundRequestId',
      'refundRequestId',
      '/v2/payments/refund',
      { paymentId: 'p', refundAmount: { currency: 'USD', value: '1' } },
    ],
    [
      'refund with a numeric amount',
      'refundAmount.value',
      '/v2/payments/refund',
      { refundRequestId: 'r', paymentId: 'p', refundAmount: { currency: 'USD', value: 1 } },
    ],
    [
      'refund of "0100"',
      'refundAmount.value',
      '/v2/payments/refund',
      { refundRequestId: 'r', paymentId: 'p', refundAmount: { currency: 'USD', value: '0100' } },
    ],
    ['applyToken with an unknown grantType', 'grantType', '/v2/authorizations/applyToken', { grantType: 'PASSWORD' }],
    [
      'applyToken AUTHORIZATION_CODE without authCode',
      'authCode',
      '/v2/authorizations/applyToken',
      { grantType: 'AUTHORIZATION_CODE' },
    ],
    [
      'applyToken REFRESH_TOKEN without refreshToken',
      'refreshToken',
      '/v2/authorizations/applyToken',
      { grantType: 'REFRESH_TOKEN' },
    ],
  ];
  test.each(others)('%s: F PARAM_ILLEGAL naming %s', async (_problem, field, api, body) => {
    const answer = await call(t, api, body);
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
    expect(answer.body.result.resultMessage).toContain(field);
  });

  test.each([
    ['not JSON', 'paymentRequestId=1'],
    ['a JSON array', '[1,2]'],
    ['empty', ''],
  ])('a correctly signed body that is %s gets F PARAM_ILLEGAL', async (_name, raw) => {
    const headers = signRequest({
      path: PAY,
      clientId: t.home.clientId,
      body: raw,
      privateKey: t.home.merchantPrivateKey,
    });
    const answer = await postRaw(t, PAY, raw, headers);
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' });
  });
});

test('Content-Type is optional (PROTOCOL §4.2): a signed body without it is read as JSON', async () => {
  const raw = JSON.stringify(payRequest());
  const { 'Content-Type': _type, ...headers } = signRequest({
    path: PAY,
    clientId: t.home.clientId,
    body: raw,
    privateKey: t.home.merchantPrivateKey,
  });
  const response = await fetch(t.sandbox.url + PAY, { method: 'POST', headers, body: new TextEncoder().encode(raw) });
  const text = await response.text();
  const body = verifyResponse({
    headers: response.headers,
    rawBody: text,
    path: PAY,
    publicKey: t.home.walletPublicKey,
  }) as any;
  expect(body.result.resultCode).toBe('ACCEPT');
});

test('every answer is signed over the request path, including the query string as sent', async () => {
  const path = `${PAY}?trace=1`;
  const raw = JSON.stringify(payRequest());
  const headers = signRequest({ path, clientId: t.home.clientId, body: raw, privateKey: t.home.merchantPrivateKey });
  const response = await fetch(t.sandbox.url + path, { method: 'POST', headers, body: raw });
  const text = await response.text();
  const body = verifyResponse({
    headers: response.headers,
    rawBody: text,
    path,
    publicKey: t.home.walletPublicKey,
  }) as any;
  expect(body.result.resultCode).toBe('ACCEPT');
  expect(() =>
    verifyResponse({ headers: response.headers, rawBody: text, path: PAY, publicKey: t.home.walletPublicKey }),
  ).toThrow();
});

describe('requests that never reach an OpenAPI handler still get a signed answer', () => {
  test('a body over 1 MiB: signed F PARAM_ILLEGAL saying so, logged as one line', async () => {
    t.lines.length = 0;
    const raw = JSON.stringify({ ...payRequest(), extendInfo: 'x'.repeat(1024 * 1024) });
    const headers = signRequest({
      path: PAY,
      clientId: t.home.clientId,
      body: raw,
      privateKey: t.home.merchantPrivateKey,
    });
    const answer = await postRaw(t, PAY, raw, headers);
    expect(answer.status).toBe(200);
    expect(answer.body.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'PARAM_ILLEGAL',
      resultMessage: expect.stringContaining('1 MiB'),
    });
    expect(t.lines).toEqual([
      expect.stringMatching(/^POST \/api\/open\/v2\/payments\/pay client=\S+ F PARAM_ILLEGAL \d+ms$/),
    ]);
  });

  test('a malformed %-escape in the path: signed F INVALID_API', async () => {
    const path = '/api/open/v2/payments/%E0';
    const headers = signRequest({ path, clientId: t.home.clientId, body: '{}', privateKey: t.home.merchantPrivateKey });
    const answer = await postRaw(t, path, '{}', headers);
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'INVALID_API' });
  });

  test.each([
    ['a malformed %-escape', '/sandbox/payments/%E0', 400, 'INVALID_URL'],
    ['a payment id of 200 characters', `/sandbox/payments/${'x'.repeat(200)}`, 414, 'URI_TOO_LONG'],
  ])("outside the OpenAPI, %s is a JSON error in the scripting API's shape", async (_name, path, status, code) => {
    const response = await fetch(t.sandbox.url + path);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
  });
});

test('each OpenAPI call is logged as one line: path, client id, result code, ms', async () => {
  t.lines.length = 0;
  await call(t, '/v2/payments/inquiryPayment', { paymentId: 'nope' });
  expect(t.lines).toHaveLength(1);
  expect(t.lines[0]).toMatch(
    new RegExp(`^POST /api/open/v2/payments/inquiryPayment client=${t.home.clientId} F ORDER_NOT_EXIST \\d+ms$`),
  );
});
