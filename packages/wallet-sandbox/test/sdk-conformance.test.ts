// The wallet sandbox against requests built exactly as the platform's official SDKs build them (Java, Python, PHP,
// .NET, Go: see @minipay/testing's sdk-requests for what each sends, from their sources), signed by the openssl CLI
// with the committed test keys and written byte for byte on a raw socket (the Python SDK's request line is in
// absolute form). Each is accepted; the same request with its body changed after signing is refused; and every
// answer is read the way that SDK reads answers (its header lookups, its signature extraction, its path).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevHome, type DevHome } from '@minipay/dev-home';
import {
  exactHeader,
  readAnswerAs,
  sdkDescription,
  sdkRequest,
  sdkTestKeys,
  sendRaw,
  seedDevHome,
  SDK_NAMES,
  type SdkName,
} from '@minipay/testing';
import { startSandbox, type RunningSandbox } from '../src';
import { json, payRequest, type TestSandbox } from './helpers';

const PAY = '/api/open/v2/payments/pay';
const keys = sdkTestKeys();
let dir: string;
let home: DevHome;
let sandbox: RunningSandbox;
let t: TestSandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minipay-sdk-conformance-'));
  seedDevHome(dir);
  home = await ensureDevHome(dir);
  sandbox = await startSandbox({ home: dir, port: 0, log: () => {} });
  t = { sandbox, home, lines: [], close: async () => undefined };
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A pay request whose body shows the layout differences: non-ASCII, "&", "<", "/" in a URL. */
function payBody(): Record<string, unknown> {
  const request = payRequest({ paymentNotifyUrl: 'https://merchant.example/notify/payment' });
  return { ...request, order: { ...request.order, orderDescription: 'Café & crème <b>' } } as unknown as Record<
    string,
    unknown
  >;
}

async function send(sdk: SdkName, message: string) {
  const response = await sendRaw(sandbox.url, message);
  const reading = readAnswerAs(
    sdk,
    response,
    { method: 'POST', signedPath: PAY, clientId: home.clientId },
    keys.walletPublic,
  );
  return {
    response,
    reading,
    result: reading.outcome === 'verified' ? (reading.body as { result: Record<string, string> }).result : undefined,
  };
}

test('the fixtures are signed with the test keys the sandbox trusts', () => {
  expect(home.merchantPublicKey.replace(/\s+/g, '')).toBe(
    require('node:fs').readFileSync(keys.merchantPublic, 'utf8').replace(/\s+/g, ''),
  );
});

describe.each(SDK_NAMES.map((sdk) => [sdk, sdkDescription(sdk)] as const))('%s — %s', (sdk) => {
  test('its pay request is accepted (A ACCEPT), and it reads the signed answer as verified', async () => {
    const request = sdkRequest(sdk, {
      origin: sandbox.url,
      path: PAY,
      clientId: home.clientId,
      body: payBody(),
      privateKeyFile: keys.merchantPrivate,
    });
    const { response, reading, result } = await send(sdk, request.message);
    expect(response.status).toBe(200);
    expect(reading.outcome).toBe('verified');
    expect(result).toEqual({ resultStatus: 'A', resultCode: 'ACCEPT', resultMessage: 'accepted' });
    const [entry] = (await json(t, 'GET', '/sandbox/requests?limit=1')).body.requests;
    expect(entry).toMatchObject({
      verdict: 'verified',
      path: PAY,
      target: sdk === 'python' ? `${sandbox.url}${PAY}` : null,
    });
    expect(entry.request.body).toBe(request.body);
  });

  test('the same request with its body changed after signing is refused (F INVALID_SIGNATURE, body changed), in a signed answer it reads', async () => {
    const request = sdkRequest(sdk, {
      origin: sandbox.url,
      path: PAY,
      clientId: home.clientId,
      body: payBody(),
      privateKeyFile: keys.merchantPrivate,
    });
    const { response, reading, result } = await send(sdk, request.tampered);
    expect(response.status).toBe(200);
    expect(reading.outcome).toBe('verified');
    expect(result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'INVALID_SIGNATURE',
      resultMessage: expect.stringContaining('the key is right, but the signed content differs'),
    });
  });

  test('an answer the SDK reads with its header lookups: lowercase client-id, response-time and signature', async () => {
    const request = sdkRequest(sdk, {
      origin: sandbox.url,
      path: '/api/open/v2/payments/inquiryPayment',
      clientId: home.clientId,
      body: { paymentId: 'nope' },
      privateKeyFile: keys.merchantPrivate,
    });
    const response = await sendRaw(sandbox.url, request.message);
    for (const name of ['client-id', 'response-time', 'signature'])
      expect(exactHeader(response, name)).toEqual(expect.any(String));
    expect(exactHeader(response, 'signature')).toMatch(
      /^algorithm=RSA256, keyVersion=1, signature=[A-Za-z0-9%]+%3D%3D$/,
    );
    const reading = readAnswerAs(
      sdk,
      response,
      { method: 'POST', signedPath: '/api/open/v2/payments/inquiryPayment', clientId: home.clientId },
      keys.walletPublic,
    );
    expect(reading).toMatchObject({ outcome: 'verified', body: { result: { resultCode: 'ORDER_NOT_EXIST' } } });
  });
});

describe('what the SDKs get wrong is diagnosed', () => {
  test('the Go SDK with a gateway URL ending in /api/open signs only the API path: F INVALID_SIGNATURE naming the missing prefix, which Go itself verifies over the full URL path', async () => {
    const request = sdkRequest('go', {
      origin: sandbox.url,
      path: PAY,
      signedPath: '/v2/payments/pay',
      clientId: home.clientId,
      body: payBody(),
      privateKeyFile: keys.merchantPrivate,
    });
    const response = await sendRaw(sandbox.url, request.message);
    const reading = readAnswerAs(
      'go',
      response,
      { method: 'POST', signedPath: '/v2/payments/pay', urlPath: PAY, clientId: home.clientId },
      keys.walletPublic,
    );
    expect(reading).toMatchObject({
      outcome: 'verified',
      body: {
        result: {
          resultCode: 'INVALID_SIGNATURE',
          resultMessage: expect.stringContaining('signed over /v2/payments/pay, without the prefix /api/open'),
        },
      },
    });
  });

  test('a Python request in absolute form to an unknown API still gets a signed F INVALID_API over its path', async () => {
    const path = '/api/open/v2/payments/capture';
    const request = sdkRequest('python', {
      origin: sandbox.url,
      path,
      clientId: home.clientId,
      body: { paymentId: 'x' },
      privateKeyFile: keys.merchantPrivate,
    });
    const response = await sendRaw(sandbox.url, request.message);
    const reading = readAnswerAs(
      'python',
      response,
      { method: 'POST', signedPath: path, clientId: home.clientId },
      keys.walletPublic,
    );
    expect(reading).toMatchObject({ outcome: 'verified', body: { result: { resultCode: 'INVALID_API' } } });
  });
});
