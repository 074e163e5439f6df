import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenApiClient } from '@minipay/openapi';
import { startSandbox } from '../src';
import { call, payRequest, startTestSandbox, type TestSandbox } from './helpers';

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

describe('where the state is kept', () => {
  test('by default in memory: no file, and the dashboard says so', async () => {
    expect(t.sandbox.stateFile).toBeUndefined();
    const state = await (await fetch(`${t.sandbox.url}/sandbox/payments`)).json();
    expect(state).toMatchObject({ inMemory: true, stateFile: null });
    expect(existsSync(join(t.home.home, 'sandbox.db'))).toBe(false);
  });

  test('inMemory: false keeps it in <home>/sandbox.db, and a sandbox started again there has it', async () => {
    const first = await startTestSandbox({ inMemory: false });
    const file = join(first.home.home, 'sandbox.db');
    try {
      expect(first.sandbox.stateFile).toBe(file);
      const created = await call(first, '/v2/payments/pay', payRequest());
      await first.sandbox.close();
      const again = await startSandbox({ home: first.home.home, port: 0, inMemory: false, log: () => {} });
      try {
        const view = await (await fetch(`${again.url}/sandbox/payments/${created.body.paymentId}`)).json();
        expect(view).toMatchObject({ paymentId: created.body.paymentId, status: 'PROCESSING' });
      } finally {
        await again.close();
      }
    } finally {
      await first.close();
    }
  });

  test('stateFile names another file; inMemory: true with a stateFile is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minipay-sandbox-state-'));
    try {
      const other = await startTestSandbox({ stateFile: join(dir, 'elsewhere.db') });
      try {
        expect(other.sandbox.stateFile).toBe(join(dir, 'elsewhere.db'));
        expect(existsSync(join(dir, 'elsewhere.db'))).toBe(true);
      } finally {
        await other.close();
      }
      await expect(startSandbox({ home: dir, inMemory: true, stateFile: join(dir, 'x.db') })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('inMemory: true and stateFile contradict each other'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
