import { OpenApiClient } from '@minipay/openapi';
import { startSandbox } from '../src';
import { payRequest, startTestSandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

test('the OpenApiClient of @minipay/openapi pays, inquires and sees the cashier outcome', async () => {
  const client = new OpenApiClient({
    baseUrl: t.sandbox.url,
    clientId: t.home.clientId,
    privateKey: t.home.merchantPrivateKey,
    walletPublicKey: t.home.walletPublicKey,
    maxRetries: 0,
  });
  const paid = await client.pay(payRequest());
  expect(paid.status).toBe('A');
  expect(paid.code).toBe('ACCEPT');
  const paymentId = paid.data.paymentId as string;
  expect(paid.data.redirectActionForm).toEqual({
    method: 'GET',
    redirectionUrl: `${t.sandbox.url}/cashier/${paymentId}`,
  });

  const before = await client.inquiryPayment({ paymentId });
  expect(before.data.paymentStatus).toBe('PROCESSING');

  const completed = await fetch(`${t.sandbox.url}/sandbox/payments/${paymentId}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'pay' }),
  });
  expect(await completed.json()).toEqual({ paymentId, resultCode: '9000', paymentStatus: 'SUCCESS' });
  const after = await client.inquiryPayment({ paymentId });
  expect(after.status).toBe('S');
  expect(after.data.paymentStatus).toBe('SUCCESS');
  expect(t.lines.some((line) => line.includes('/api/open/v2/payments/pay') && line.includes(t.home.clientId))).toBe(
    true,
  );
});

test('publicUrl is the base of the cashier links that pay returns', async () => {
  const behindProxy = await startTestSandbox({ publicUrl: 'https://sandbox.example.test/' });
  try {
    const client = new OpenApiClient({
      baseUrl: behindProxy.sandbox.url,
      clientId: behindProxy.home.clientId,
      privateKey: behindProxy.home.merchantPrivateKey,
      walletPublicKey: behindProxy.home.walletPublicKey,
      maxRetries: 0,
    });
    const paid = await client.pay(payRequest());
    expect(paid.data.redirectActionForm?.redirectionUrl).toBe(
      `https://sandbox.example.test/cashier/${paid.data.paymentId}`,
    );
  } finally {
    await behindProxy.close();
  }
});

test('startSandbox without a home says what it needs', async () => {
  await expect(startSandbox({} as any)).rejects.toThrow('startSandbox needs options.home');
});
