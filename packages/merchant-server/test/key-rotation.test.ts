// Wallet key rotation: the sandbox rotates its key (version 2) and signs with it; the merchant verifies each
// notification with the key its Signature header names by keyVersion, still accepts version 1 until that key is
// removed, and refuses a version it has no key of, naming it.
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rotateWalletKey, type DevHome } from '@minipay/dev-home';
import { signRequest, verifyResponse, type NotifyPaymentRequest } from '@minipay/openapi';
import { startSandbox, type RunningSandbox } from '@minipay/wallet-sandbox';
import { loadConfig, startMerchantServer, type RunningMerchantServer } from '../src';
import { resolveConfig } from '../src/internal/resolve-config';
import { call, logCollector } from './helpers';

let home: string;
let dev: DevHome;
let v1PrivateKey: string;
let v1PublicKey: string;
let sandbox: RunningSandbox;
let merchant: RunningMerchantServer;
let logs: ReturnType<typeof logCollector>;
let token: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'minipay-rotation-'));
  // What `npm run keys -- --rotate-wallet` does: version 1 retired beside the new version 2.
  dev = await rotateWalletKey(home);
  v1PrivateKey = readFileSync(join(home, 'wallet-private.v1.pem.old'), 'utf8');
  v1PublicKey = readFileSync(join(home, 'wallet-public.v1.pem'), 'utf8');
  sandbox = await startSandbox({ home, port: 0, retrySchedule: [30, 60], log: () => {} });
  logs = logCollector();
  merchant = await startMerchant();
  const code = await call(sandbox.url, 'POST', '/sandbox/auth-codes', { body: {} });
  token = (await call(merchant.url, 'POST', '/api/session', { body: { authCode: code.body.authCode } })).body.token;
});
afterAll(async () => {
  await merchant.close();
  await sandbox.close();
  rmSync(home, { recursive: true, force: true });
});

function startMerchant(): Promise<RunningMerchantServer> {
  return startMerchantServer({
    home,
    port: 0,
    walletUrl: sandbox.url,
    reconcileAfterMs: 3_600_000,
    log: { level: 'info', stream: logs.stream },
  });
}

/** A PAYING order and the ids of its payment at the sandbox. */
async function payingOrder(server = merchant) {
  const order = await call(server.url, 'POST', '/api/orders', {
    token,
    body: { items: [{ productId: 'coffee-beans', quantity: 1 }] },
  });
  const started = await call(server.url, 'POST', `/api/orders/${order.body.id}/payment`, { token });
  const view = await call(sandbox.url, 'GET', `/sandbox/payments/${started.body.paymentId}`);
  return {
    order: order.body,
    notification: {
      paymentId: started.body.paymentId,
      paymentRequestId: view.body.paymentRequestId,
      paymentResult: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
      paymentAmount: order.body.amount,
    } as NotifyPaymentRequest,
  };
}

function notify(server: RunningMerchantServer, body: NotifyPaymentRequest, privateKey: string, keyVersion: string) {
  const raw = JSON.stringify(body);
  const headers = signRequest({ path: '/notify/payment', clientId: dev.clientId, body: raw, privateKey, keyVersion });
  return call(server.url, 'POST', '/notify/payment', { raw, headers });
}

test('after --rotate-wallet the dev home has version 2 and keeps version 1 beside it', () => {
  expect(dev.walletKeyVersion).toBe('2');
  expect(Object.keys(dev.walletPublicKeys).sort()).toEqual(['1', '2']);
  expect(dev.walletPublicKeys['1']).toBe(v1PublicKey);
  expect(dev.walletPublicKeys['2']).toBe(dev.walletPublicKey);
});

test('the sandbox signs with the new key under keyVersion=2, and the merchant verifies it: the order is PAID', async () => {
  const { order, notification } = await payingOrder();
  await call(sandbox.url, 'POST', `/sandbox/payments/${notification.paymentId}/complete`, { body: { outcome: 'pay' } });
  await sandbox.whenIdle();
  const view = await call(sandbox.url, 'GET', `/sandbox/payments/${notification.paymentId}`);
  expect(view.body.notification.state).toBe('delivered');
  expect((await call(merchant.url, 'GET', `/api/orders/${order.id}`, { token })).body.status).toBe('PAID');
});

test('a notification signed with the old key under keyVersion=1 still verifies', async () => {
  const { order, notification } = await payingOrder();
  const answer = await notify(merchant, notification, v1PrivateKey, '1');
  expect(answer.status).toBe(200);
  expect(answer.body.result).toMatchObject({ resultStatus: 'S' });
  expect((await call(merchant.url, 'GET', `/api/orders/${order.id}`, { token })).body.status).toBe('PAID');
});

test('an unknown keyVersion with a genuine signature → signed 401 UNKNOWN_KEY_VERSION naming it; the doctor names the key that verifies', async () => {
  const { order, notification } = await payingOrder();
  const answer = await notify(merchant, notification, dev.walletPrivateKey, '99');
  expect(answer.status).toBe(401);
  const body = verifyResponse({
    headers: answer.headers,
    rawBody: answer.text,
    path: '/notify/payment',
    publicKey: dev.merchantPublicKey,
  }) as { error: { code: string; message: string } };
  expect(body.error).toEqual({
    code: 'UNKNOWN_KEY_VERSION',
    message:
      'the Signature header names keyVersion 99, and this merchant has no wallet public key of that version (it has 1, 2)',
  });
  const warning = logs.entries().find((entry) => entry.code === 'UNKNOWN_KEY_VERSION');
  expect(warning).toMatchObject({ level: 40, keyVersion: '99', knownVersions: ['1', '2'] });
  expect(String(warning?.msg)).toMatch(/wallet public key version 2/);
  expect((await call(merchant.url, 'GET', `/api/orders/${order.id}`, { token })).body.status).toBe('PAYING');
});

test('the old key under the new version → 401 INVALID_SIGNATURE, and the doctor says version 1 verifies it', async () => {
  const { notification } = await payingOrder();
  const answer = await notify(merchant, notification, v1PrivateKey, '2');
  expect(answer.status).toBe(401);
  expect(answer.body.error.code).toBe('INVALID_SIGNATURE');
  const warning = logs
    .entries()
    .filter((entry) => entry.code === 'INVALID_SIGNATURE')
    .pop();
  expect(JSON.stringify(warning?.diagnosis)).toMatch(/wallet public key version 1/);
});

test('once the version 1 key is removed from the home, version 1 is refused as unknown', async () => {
  unlinkSync(join(home, 'wallet-public.v1.pem'));
  expect(existsSync(join(home, 'wallet-public.v1.pem'))).toBe(false);
  const restarted = await startMerchant();
  try {
    const { notification } = await payingOrder(restarted);
    const answer = await notify(restarted, notification, v1PrivateKey, '1');
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({
      code: 'UNKNOWN_KEY_VERSION',
      message: expect.stringContaining('(it has 2)'),
    });
    expect((await notify(restarted, notification, dev.walletPrivateKey, '2')).body.result).toMatchObject({
      resultStatus: 'S',
    });
  } finally {
    await restarted.close();
  }
});

describe('MINIPAY_WALLET_PUBLIC_KEYS', () => {
  test('a JSON object of version → key (PEM with \\n escapes or bare Base64)', async () => {
    const options = loadConfig({
      MINIPAY_WALLET_PUBLIC_KEYS: JSON.stringify({ '1': v1PublicKey.replace(/\n/g, '\\n'), '2': dev.walletPublicKey }),
    });
    const config = await resolveConfig({ ...options, home });
    expect(config.walletPublicKeys).toEqual({ '1': v1PublicKey, '2': dev.walletPublicKey });
    // Answers are verified with the newest.
    expect(config.walletPublicKey).toBe(dev.walletPublicKey);
  });

  test('one key alone (MINIPAY_WALLET_PUBLIC_KEY) is version 1', async () => {
    const config = await resolveConfig({ home, walletPublicKey: v1PublicKey });
    expect(config.walletPublicKeys).toEqual({ '1': v1PublicKey });
  });

  test.each([
    ['not JSON', { MINIPAY_WALLET_PUBLIC_KEYS: 'v1=abc' }, /must be a JSON object of key version → public key/],
    ['an array', { MINIPAY_WALLET_PUBLIC_KEYS: '["abc"]' }, /must be a JSON object/],
  ])('%s is refused naming the variable', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  test('both the one key and the set → refused; a version with a space → refused', async () => {
    await expect(
      resolveConfig({ home, walletPublicKey: v1PublicKey, walletPublicKeys: { '1': v1PublicKey } }),
    ).rejects.toThrow(
      /set either MINIPAY_WALLET_PUBLIC_KEY or MINIPAY_WALLET_PUBLIC_KEY_FILE \(option walletPublicKey\) .* or MINIPAY_WALLET_PUBLIC_KEYS/,
    );
    await expect(resolveConfig({ home, walletPublicKeys: { 'v 2': v1PublicKey } })).rejects.toThrow(
      /"v 2" is not a key version/,
    );
  });

  test('production takes the set instead of the one key', async () => {
    const production = {
      production: true,
      home,
      walletUrl: 'https://wallet.example',
      publicUrl: 'https://shop.example',
      clientId: 'C',
      merchantPrivateKey: dev.merchantPrivateKey,
      sessionSecret: 's'.repeat(32),
    };
    await expect(resolveConfig({ ...production, walletPublicKeys: { '7': v1PublicKey } })).resolves.toMatchObject({
      walletPublicKeys: { '7': v1PublicKey },
    });
    await expect(resolveConfig(production)).rejects.toThrow(/MINIPAY_WALLET_PUBLIC_KEY/);
  });
});
