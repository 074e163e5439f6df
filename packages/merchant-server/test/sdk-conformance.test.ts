// POST /notify/payment against notifications shaped exactly as the platform's official SDKs shape a signed request
// (Java, Python, PHP, .NET, Go: @minipay/testing's sdk-requests), signed by the openssl CLI with the wallet's test
// key and written byte for byte on a raw socket (the Python shape in absolute form). Each is applied and gets a
// signed S that the same SDK's answer reader verifies; the same notification with its body changed after signing is
// refused with a signed 401 and changes nothing.
import { keyFingerprint } from '@minipay/openapi';
import {
  readAnswerAs,
  sdkDescription,
  sdkRequest,
  sdkTestKeys,
  sendRaw,
  seedDevHome,
  SDK_NAMES,
} from '@minipay/testing';
import type { RunningMerchantServer } from '../src';
import {
  createOrder,
  getOrder,
  logCollector,
  orderRow,
  signIn,
  startPayment,
  startStack,
  successNotification,
  type Stack,
} from './helpers';

const keys = sdkTestKeys();
let stack: Stack;
let merchant: RunningMerchantServer;
let logs: ReturnType<typeof logCollector>;
let token: string;

beforeAll(async () => {
  stack = await startStack({ prepareHome: seedDevHome, noMerchant: true });
  logs = logCollector();
  merchant = await stack.startMerchant({ log: { level: 'info', stream: logs.stream } });
  ({ token } = await signIn(stack, undefined, merchant));
});
afterAll(() => stack.close());

async function payingOrder() {
  const order = await createOrder(merchant, token);
  const { paymentId } = await startPayment(merchant, token, order.id);
  return { order, payment: { paymentId, paymentRequestId: orderRow(stack, order.id).payment_request_id as string } };
}

test('the wallet key the merchant trusts is the test key openssl signs with', () => {
  expect(keyFingerprint(stack.dev.walletPublicKey)).toBe(
    keyFingerprint(require('node:fs').readFileSync(keys.walletPublic, 'utf8')),
  );
});

describe.each(SDK_NAMES.map((sdk) => [sdk, sdkDescription(sdk)] as const))('%s — %s', (sdk) => {
  test('a notification in its shape is applied (PAID) and acknowledged with a signed S it verifies', async () => {
    const { order, payment } = await payingOrder();
    const body = { ...successNotification(order, payment), extendInfo: 'Café & crème <b> https://merchant.example/x' };
    const request = sdkRequest(sdk, {
      origin: merchant.url,
      path: '/notify/payment',
      clientId: stack.dev.clientId,
      body,
      privateKeyFile: keys.walletPrivate,
    });
    const response = await sendRaw(merchant.url, request.message);
    expect(response.status).toBe(200);
    const reading = readAnswerAs(
      sdk,
      response,
      { method: 'POST', signedPath: '/notify/payment', clientId: stack.dev.clientId },
      keys.merchantPublic,
    );
    expect(reading).toEqual({
      outcome: 'verified',
      body: { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } },
    });
    expect((await getOrder(merchant, token, order.id)).status).toBe('PAID');
  });

  test('the same notification with its body changed after signing: a signed 401 INVALID_SIGNATURE, logged with the diagnosis, order unchanged', async () => {
    const { order, payment } = await payingOrder();
    const request = sdkRequest(sdk, {
      origin: merchant.url,
      path: '/notify/payment',
      clientId: stack.dev.clientId,
      body: { ...successNotification(order, payment) },
      privateKeyFile: keys.walletPrivate,
    });
    const response = await sendRaw(merchant.url, request.tampered);
    expect(response.status).toBe(401);
    // Go reads any status: it verifies the signed refusal and sees F.
    expect(
      readAnswerAs(
        'go',
        response,
        { method: 'POST', signedPath: '/notify/payment', clientId: stack.dev.clientId },
        keys.merchantPublic,
      ),
    ).toMatchObject({
      outcome: 'verified',
      body: { result: { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F' }, error: { code: 'INVALID_SIGNATURE' } },
    });
    expect(orderRow(stack, order.id).status).toBe('PAYING');
    const logged = logs
      .entries()
      .find(
        (entry) => (entry.diagnosis as { checked?: { time?: string } } | undefined)?.checked?.time === request.time,
      );
    expect(logged).toMatchObject({ code: 'INVALID_SIGNATURE', diagnosis: { cause: 'BODY_CHANGED' } });
  });
});
