import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, MerchantServerError } from '../src';

const HOME = '/srv/minipay';
const PRODUCTION = {
  MINIPAY_ENV: 'production',
  MINIPAY_HOME: HOME,
  MINIPAY_PUBLIC_URL: 'https://shop.example.com',
  MINIPAY_WALLET_URL: 'https://open.wallet.example',
  MINIPAY_CLIENT_ID: 'CLIENT_1',
  // As a one-line environment variable holds a PEM: with its newlines written as \n.
  MINIPAY_MERCHANT_PRIVATE_KEY: readFileSync(join(__dirname, 'fixtures', 'test-bogus-private-key.pem'), 'utf8').trim().replace(/\n/g, '\\n'),
  MINIPAY_WALLET_PUBLIC_KEY: 'BBBB',
  MINIPAY_SESSION_SECRET: 'x'.repeat(43),
};

function error(run: () => unknown): MerchantServerError {
  try {
    run();
  } catch (caught) {
    if (caught instanceof MerchantServerError) return caught;
    throw caught;
  }
  throw new Error('expected a MerchantServerError');
}

describe('loadConfig', () => {
  test('gives the local-stack defaults when nothing is set', () => {
    const options = loadConfig({ MINIPAY_HOME: '/tmp/h' });
    expect(options).toEqual({
      home: '/tmp/h',
      host: '127.0.0.1',
      port: 8200,
      walletUrl: 'http://127.0.0.1:8210',
      walletPathPrefix: '/api/open',
      production: false,
    });
  });

  test('reads every MINIPAY_* setting', () => {
    const options = loadConfig(
      {
        MINIPAY_HOME: 'state',
        MINIPAY_MERCHANT_HOST: '0.0.0.0',
        MINIPAY_MERCHANT_PORT: '9000',
        MINIPAY_WALLET_URL: 'http://wallet.local:1234/',
        MINIPAY_WALLET_PATH_PREFIX: 'acl/api/',
        MINIPAY_PUBLIC_URL: 'https://shop.example.com/',
        MINIPAY_DATABASE_PATH: 'db/merchant.db',
        MINIPAY_CLIENT_ID: 'C1',
        MINIPAY_SESSION_SECRET: 's'.repeat(32),
        MINIPAY_SESSION_TTL_SECONDS: '60',
        MINIPAY_ORDER_TTL_SECONDS: '120',
        MINIPAY_RECONCILE_AFTER_MS: '1500',
        MINIPAY_RECONCILE_INTERVAL_MS: '2500',
        MINIPAY_INQUIRY_MIN_INTERVAL_MS: '700',
        MINIPAY_NOTIFY_TOLERANCE_SECONDS: '90',
        MINIPAY_WALLET_TIMEOUT_MS: '3000',
        MINIPAY_MERCHANT_NAME: 'Tea House',
        MINIPAY_LOG_LEVEL: 'warn',
      },
      { cwd: '/work' },
    );
    expect(options).toEqual({
      home: '/work/state',
      host: '0.0.0.0',
      port: 9000,
      walletUrl: 'http://wallet.local:1234',
      walletPathPrefix: '/acl/api',
      publicUrl: 'https://shop.example.com',
      databasePath: '/work/db/merchant.db',
      clientId: 'C1',
      sessionSecret: 's'.repeat(32),
      sessionTtlMs: 60_000,
      orderTtlMs: 120_000,
      reconcileAfterMs: 1500,
      reconcileIntervalMs: 2500,
      inquiryMinIntervalMs: 700,
      notifyToleranceSeconds: 90,
      walletTimeoutMs: 3000,
      merchantName: 'Tea House',
      production: false,
      log: { level: 'warn' },
    });
  });

  test('reads keys from the files named by *_FILE variables, through the injected reader', () => {
    const files: Record<string, string> = { '/keys/merchant.pem': 'PRIVATE PEM', '/keys/wallet.pem': 'PUBLIC PEM' };
    const options = loadConfig(
      { MINIPAY_HOME: HOME, MINIPAY_MERCHANT_PRIVATE_KEY_FILE: '/keys/merchant.pem', MINIPAY_WALLET_PUBLIC_KEY_FILE: '/keys/wallet.pem' },
      { readFile: (path) => files[path] ?? (() => { throw Object.assign(new Error('nope'), { code: 'ENOENT' }); })() },
    );
    expect(options.merchantPrivateKey).toBe('PRIVATE PEM');
    expect(options.walletPublicKey).toBe('PUBLIC PEM');
  });

  test('an unreadable key file is named, and its content never quoted', () => {
    const failure = error(() =>
      loadConfig({ MINIPAY_HOME: HOME, MINIPAY_MERCHANT_PRIVATE_KEY_FILE: '/missing.pem' }, { readFile: () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); } }),
    );
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain('MINIPAY_MERCHANT_PRIVATE_KEY_FILE');
    expect(failure.message).toContain('/missing.pem');
    expect(failure.message).toContain('ENOENT');
  });

  test('turns \\n escapes of a one-line PEM in an environment variable into newlines', () => {
    const options = loadConfig({ MINIPAY_HOME: HOME, MINIPAY_MERCHANT_PRIVATE_KEY: 'A\\nB' });
    expect(options.merchantPrivateKey).toBe('A\nB');
  });

  test('production with every setting loads', () => {
    const options = loadConfig(PRODUCTION);
    expect(options.production).toBe(true);
    expect(options.publicUrl).toBe('https://shop.example.com');
  });

  test.each(Object.keys(PRODUCTION).filter((name) => name !== 'MINIPAY_ENV'))('production without %s stops with a message naming it', (name) => {
    const env: Record<string, string | undefined> = { ...PRODUCTION, [name]: undefined };
    const failure = error(() => loadConfig(env));
    expect(failure.code).toBe('CONFIG_MISSING');
    expect(failure.message).toContain(name);
    expect(failure.message).toContain('MINIPAY_ENV=production');
  });

  test('production names every missing setting at once', () => {
    const failure = error(() => loadConfig({ MINIPAY_ENV: 'production' }));
    for (const name of Object.keys(PRODUCTION).filter((n) => n !== 'MINIPAY_ENV')) expect(failure.message).toContain(name);
  });

  test('production refuses a plain-http public URL', () => {
    const failure = error(() => loadConfig({ ...PRODUCTION, MINIPAY_PUBLIC_URL: 'http://shop.example.com' }));
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain('MINIPAY_PUBLIC_URL');
  });

  test.each([
    ['MINIPAY_MERCHANT_PORT', 'eighty'],
    ['MINIPAY_MERCHANT_PORT', '70000'],
    ['MINIPAY_WALLET_URL', 'not a url'],
    ['MINIPAY_WALLET_URL', 'ftp://wallet'],
    ['MINIPAY_PUBLIC_URL', '/relative'],
    ['MINIPAY_SESSION_SECRET', 'short'],
    ['MINIPAY_RECONCILE_AFTER_MS', '-1'],
    ['MINIPAY_LOG_LEVEL', 'loud'],
  ])('a malformed %s (%s) is refused with a message naming it', (name, value) => {
    const failure = error(() => loadConfig({ MINIPAY_HOME: HOME, [name]: value }));
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain(name);
  });

  test('a secret never appears in a message', () => {
    const failure = error(() => loadConfig({ MINIPAY_HOME: HOME, MINIPAY_SESSION_SECRET: 'hunter2' }));
    expect(failure.message).not.toContain('hunter2');
  });

  test('setting both a key and its _FILE variable is refused', () => {
    const failure = error(() => loadConfig({ MINIPAY_HOME: HOME, MINIPAY_WALLET_PUBLIC_KEY: 'a', MINIPAY_WALLET_PUBLIC_KEY_FILE: '/b' }));
    expect(failure.message).toContain('MINIPAY_WALLET_PUBLIC_KEY_FILE');
  });
});
