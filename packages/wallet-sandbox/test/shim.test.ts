// The mini program shim with a fake `my` whose `request` does real HTTP (fetch) to a running sandbox.
import { installSandbox, type SandboxMy, type ShimRequestOptions } from '@minipay/wallet-sandbox/mini';
import { OUTCOMES } from '../src';
import { call, json, payRequest, startTestSandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

/** `my` as the IDE has it, but `request` goes over real HTTP, the way Alipay's my.request reports (status, data). */
function fakeMy(
  sheet?: (options: { items: string[]; success: (r: { index?: number }) => void; fail: () => void }) => void,
) {
  const originalTradePay = jest.fn((options: any) => options.success?.({ resultCode: 'REAL_JSAPI' }));
  const originalGetAuthCode = jest.fn();
  const requests: ShimRequestOptions[] = [];
  const my: SandboxMy & { tradePay: any; getAuthCode: any } = {
    tradePay: originalTradePay,
    getAuthCode: originalGetAuthCode,
    request(options: ShimRequestOptions) {
      requests.push(options);
      fetch(options.url, { method: options.method, headers: options.headers, body: options.data }).then(
        async (response) => {
          const text = await response.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            /* keep the text */
          }
          options.success({ data, status: response.status });
        },
        (error: Error) => options.fail({ error: 12, errorMessage: error.message }),
      );
    },
    ...(sheet ? { showActionSheet: jest.fn(sheet) } : {}),
  };
  return { my, originalTradePay, originalGetAuthCode, requests };
}

/** Calls the (wrapped) my.tradePay and resolves with which callbacks ran, in order. */
function tradePay(my: SandboxMy, request: Record<string, unknown>) {
  return new Promise<{ calls: string[]; success?: any; fail?: any }>((resolve) => {
    const seen: { calls: string[]; success?: any; fail?: any } = { calls: [] };
    my.tradePay({
      ...request,
      success: (result) => {
        seen.calls.push('success');
        seen.success = result;
      },
      fail: (error) => {
        seen.calls.push('fail');
        seen.fail = error;
      },
      complete: () => {
        seen.calls.push('complete');
        resolve(seen);
      },
    });
  });
}

async function newPayment() {
  const answer = await call(t, '/v2/payments/pay', payRequest());
  return {
    paymentId: answer.body.paymentId as string,
    paymentUrl: answer.body.redirectActionForm.redirectionUrl as string,
  };
}

test.each(OUTCOMES.map((o) => [o.outcome, o.resultCode, o.paymentStatus] as const))(
  'choose() → %s: success({ resultCode: %s }) then complete, and the sandbox records %s',
  async (outcome, resultCode, status) => {
    const { my, requests } = fakeMy();
    const chosenFor: string[] = [];
    const uninstall = installSandbox(my, {
      baseUrl: t.sandbox.url,
      choose: (paymentId) => (chosenFor.push(paymentId), outcome),
    });
    try {
      const { paymentId, paymentUrl } = await newPayment();
      const result = await tradePay(my, { paymentUrl });
      expect(result.calls).toEqual(['success', 'complete']);
      expect(result.success).toEqual({ resultCode });
      expect(chosenFor).toEqual([paymentId]);
      expect(requests[0]).toMatchObject({
        url: `${t.sandbox.url}/sandbox/payments/${paymentId}/complete`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        data: JSON.stringify({ outcome }),
        dataType: 'json',
      });
      expect((await json(t, 'GET', `/sandbox/payments/${paymentId}`)).body.status).toBe(status);
    } finally {
      uninstall();
    }
  },
);

test('choose() may return a promise', async () => {
  const { my } = fakeMy();
  const uninstall = installSandbox(my, { baseUrl: `${t.sandbox.url}/`, choose: () => Promise.resolve('fail') });
  const { paymentUrl } = await newPayment();
  expect((await tradePay(my, { paymentUrl })).success).toEqual({ resultCode: '4000' });
  uninstall();
});

describe('the action sheet', () => {
  test('lists the six outcomes in order; picking one applies it', async () => {
    let items: string[] = [];
    const { my } = fakeMy((options) => {
      items = options.items;
      options.success({ index: 2 });
    });
    const uninstall = installSandbox(my, { baseUrl: t.sandbox.url });
    const { paymentUrl } = await newPayment();
    expect((await tradePay(my, { paymentUrl })).success).toEqual({ resultCode: '4000' });
    expect(items).toEqual(OUTCOMES.map((o) => o.label));
    uninstall();
  });

  test.each([
    ['dismissed (index -1)', (o: any) => o.success({ index: -1 })],
    ['failing', (o: any) => o.fail()],
  ])('%s means the user cancelled: 6001 and a CANCELLED payment', async (_name, sheet) => {
    const { my } = fakeMy(sheet);
    const uninstall = installSandbox(my, { baseUrl: t.sandbox.url });
    const { paymentId, paymentUrl } = await newPayment();
    expect((await tradePay(my, { paymentUrl })).success).toEqual({ resultCode: '6001' });
    expect((await json(t, 'GET', `/sandbox/payments/${paymentId}`)).body.status).toBe('CANCELLED');
    uninstall();
  });
});

test.each([
  ["another wallet's paymentUrl", { paymentUrl: 'https://cashier.wallet.example/pay?id=1' }],
  ['a sandbox URL that is not a cashier', { paymentUrl: 'http://127.0.0.1:1/cashier-ish' }],
  ['tradeNO', { tradeNO: '2019072222001' }],
  ['orderStr', { orderStr: 'app_id=1&biz_content=x' }],
])('%s goes to the original my.tradePay untouched', async (_name, request) => {
  const { my, originalTradePay, requests } = fakeMy();
  const uninstall = installSandbox(my, { baseUrl: t.sandbox.url, choose: () => 'pay' });
  let options: Record<string, unknown> = {};
  const result = await new Promise<any>((resolve) => {
    options = { ...request, success: resolve };
    my.tradePay(options);
  });
  expect(result).toEqual({ resultCode: 'REAL_JSAPI' });
  expect(originalTradePay).toHaveBeenCalledTimes(1);
  expect(originalTradePay.mock.calls[0]?.[0]).toBe(options);
  expect(requests).toHaveLength(0);
  uninstall();
});

test('a request failure calls fail({ error, errorMessage }) and complete', async () => {
  const { my } = fakeMy();
  const uninstall = installSandbox(my, { baseUrl: 'http://127.0.0.1:9', choose: () => 'pay' });
  const result = await tradePay(my, { paymentUrl: 'http://127.0.0.1:9/cashier/SBXPAY1' });
  expect(result.calls).toEqual(['fail', 'complete']);
  expect(result.fail).toMatchObject({ error: 12, errorMessage: expect.any(String) });
  uninstall();
});

test("a payment that already has an outcome fails with the sandbox's message", async () => {
  const { my } = fakeMy();
  const uninstall = installSandbox(my, { baseUrl: t.sandbox.url, choose: () => 'pay' });
  const { paymentUrl } = await newPayment();
  await tradePay(my, { paymentUrl });
  const second = await tradePay(my, { paymentUrl });
  expect(second.calls).toEqual(['fail', 'complete']);
  expect(second.fail).toEqual({ error: 19, errorMessage: expect.stringContaining('already SUCCESS') });
  uninstall();
});

test('choose() giving something that is not an outcome fails clearly', async () => {
  const { my } = fakeMy();
  const uninstall = installSandbox(my, { baseUrl: t.sandbox.url, choose: () => 'refund' as any });
  const { paymentUrl } = await newPayment();
  const result = await tradePay(my, { paymentUrl });
  expect(result.fail).toEqual({
    error: 'SANDBOX_INVALID_OUTCOME',
    errorMessage: expect.stringContaining('pay, processing, fail'),
  });
  uninstall();
});

test('getAuthCode returns a sandbox auth code that applyToken accepts, for the same customer every time', async () => {
  const { my, originalGetAuthCode } = fakeMy();
  const uninstall = installSandbox(my, { baseUrl: t.sandbox.url });
  const getCode = () =>
    new Promise<any>((resolve, reject) => my.getAuthCode!({ scopes: 'auth_user', success: resolve, fail: reject }));
  const first = await getCode();
  expect(first).toEqual({ authCode: expect.any(String), authSuccessScopes: ['auth_user'], authErrorScopes: {} });
  const second = await getCode();
  expect(second.authCode).not.toBe(first.authCode);
  const a = await call(t, '/v2/authorizations/applyToken', {
    grantType: 'AUTHORIZATION_CODE',
    authCode: first.authCode,
  });
  const b = await call(t, '/v2/authorizations/applyToken', {
    grantType: 'AUTHORIZATION_CODE',
    authCode: second.authCode,
  });
  expect(a.body.customerId).toEqual(expect.any(String));
  expect(b.body.customerId).toBe(a.body.customerId);
  expect(originalGetAuthCode).not.toHaveBeenCalled();
  uninstall();
});

test('uninstall puts the original JSAPIs back', () => {
  const { my, originalTradePay, originalGetAuthCode } = fakeMy();
  const uninstall = installSandbox(my, { baseUrl: t.sandbox.url });
  expect(my.tradePay).not.toBe(originalTradePay);
  expect(my.getAuthCode).not.toBe(originalGetAuthCode);
  uninstall();
  expect(my.tradePay).toBe(originalTradePay);
  expect(my.getAuthCode).toBe(originalGetAuthCode);
});

test.each([
  ['no my', undefined, { baseUrl: 'http://127.0.0.1:8210' }, /runtime `my`/],
  ['no baseUrl', {}, {}, /baseUrl/],
  ['a baseUrl that is not http(s)', {}, { baseUrl: '127.0.0.1:8210' }, /baseUrl/],
])('installSandbox with %s throws a message that says what is missing', (_name, my, options, message) => {
  const runtime = my === undefined ? undefined : { ...fakeMy().my, ...my };
  expect(() => installSandbox(runtime as any, options as any)).toThrow(message);
});

test('the shim imports nothing but its own files, the shared outcome table and the error class (no Node built-ins, no server code)', () => {
  const { readdirSync, readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
  const { join } = jest.requireActual<typeof import('node:path')>('node:path');
  const dir = join(__dirname, '../src/mini');
  const sources = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
  sources.push(
    readFileSync(join(__dirname, '../src/outcomes.ts'), 'utf8'),
    readFileSync(join(__dirname, '../src/errors.ts'), 'utf8'),
  );
  const imports = sources.flatMap((source) => [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]));
  expect(imports.length).toBeGreaterThan(0);
  expect(
    imports.filter((path) => !/^\.\/[a-z-]+$/.test(path ?? '') && path !== '../outcomes' && path !== '../errors'),
  ).toEqual([]);
});
