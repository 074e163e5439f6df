import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, MerchantServerError } from '../src';
import { ENVIRONMENT_VARIABLES } from '../src/config';
import { resolveConfig } from '../src/internal/resolve-config';
import { SETTINGS } from '../src/internal/settings';

const HOME = '/srv/minipay';
const PRODUCTION = {
  MINIPAY_ENV: 'production',
  MINIPAY_HOME: HOME,
  MINIPAY_PUBLIC_URL: 'https://shop.example.com',
  MINIPAY_WALLET_URL: 'https://open.wallet.example',
  MINIPAY_CLIENT_ID: 'CLIENT_1',
  // As a one-line environment variable holds a PEM: with its newlines written as \n.
  MINIPAY_MERCHANT_PRIVATE_KEY: readFileSync(join(__dirname, 'fixtures', 'test-bogus-private-key.pem'), 'utf8')
    .trim()
    .replace(/\n/g, '\\n'),
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

async function rejection(run: () => Promise<unknown>): Promise<MerchantServerError> {
  try {
    await run();
  } catch (caught) {
    if (caught instanceof MerchantServerError) return caught;
    throw caught;
  }
  throw new Error('expected a MerchantServerError');
}

/** What the server would run with for this environment: loadConfig, then the one resolver. */
const configFor = (env: Record<string, string | undefined>) => resolveConfig(loadConfig(env));

describe('loadConfig', () => {
  test("reads only what is set: defaults are the resolver's", () => {
    expect(loadConfig({ MINIPAY_HOME: '/tmp/h', MINIPAY_MERCHANT_NAME: '  ', UNRELATED: 'x' })).toEqual({
      home: '/tmp/h',
    });
  });

  test('the resolver gives the local-stack defaults when nothing is set', async () => {
    const config = await resolveConfig({
      home: '/tmp/h',
      clientId: 'C1',
      merchantPrivateKey: 'K',
      walletPublicKey: 'W',
      sessionSecret: 's'.repeat(32),
    });
    expect(config).toMatchObject({
      home: '/tmp/h',
      host: '127.0.0.1',
      port: 8200,
      walletUrl: 'http://127.0.0.1:8210',
      walletPathPrefix: '/api/open',
      publicUrl: undefined,
      databasePath: '/tmp/h/merchant.db',
      sessionTtlMs: 86_400_000,
      orderTtlMs: 900_000,
      reconcileAfterMs: 60_000,
      reconcileIntervalMs: 30_000,
      inquiryMinIntervalMs: 5_000,
      notifyToleranceSeconds: 300,
      walletTimeoutMs: 10_000,
      merchantName: 'Minipay Demo Shop',
      production: false,
      log: true,
    });
  });

  test('defaults that follow another setting: a short reconcileAfterMs shortens the interval and the inquiry pace', async () => {
    const config = await resolveConfig({
      home: '/tmp/h',
      clientId: 'C',
      merchantPrivateKey: 'K',
      walletPublicKey: 'W',
      sessionSecret: 's'.repeat(32),
      reconcileAfterMs: 20,
    });
    expect([config.reconcileIntervalMs, config.inquiryMinIntervalMs]).toEqual([50, 20]);
  });

  test('options given in code are checked like variables: URLs lose their trailing slash, a short secret is refused', async () => {
    const base = { home: '/tmp/h', clientId: 'C', merchantPrivateKey: 'K', walletPublicKey: 'W' };
    const config = await resolveConfig({
      ...base,
      sessionSecret: 's'.repeat(32),
      walletUrl: 'http://w.example/',
      walletPathPrefix: 'acl/api/',
    });
    expect([config.walletUrl, config.walletPathPrefix]).toEqual(['http://w.example', '/acl/api']);
    const failure = await rejection(() => resolveConfig({ ...base, sessionSecret: 'short' }));
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain('MINIPAY_SESSION_SECRET (option sessionSecret)');
  });

  test('the table has a row for every variable the README documents, and nothing else reads MINIPAY_*', () => {
    expect(ENVIRONMENT_VARIABLES).toEqual(
      Object.values(SETTINGS).flatMap((row) => (row.file ? [row.variable, `${row.variable}_FILE`] : [row.variable])),
    );
    expect(new Set(ENVIRONMENT_VARIABLES).size).toBe(ENVIRONMENT_VARIABLES.length);
    expect(
      Object.keys(SETTINGS)
        .filter((name) => SETTINGS[name as keyof typeof SETTINGS].requiredInProduction)
        .sort(),
    ).toEqual(['clientId', 'home', 'merchantPrivateKey', 'publicUrl', 'sessionSecret', 'walletPublicKey', 'walletUrl']);
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
      walletUrl: 'http://wallet.local:1234/',
      walletPathPrefix: 'acl/api/',
      publicUrl: 'https://shop.example.com/',
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
      log: { level: 'warn' },
    });
  });

  test('reads keys from the files named by *_FILE variables, through the injected reader', () => {
    const files: Record<string, string> = { '/keys/merchant.pem': 'PRIVATE PEM', '/keys/wallet.pem': 'PUBLIC PEM' };
    const options = loadConfig(
      {
        MINIPAY_HOME: HOME,
        MINIPAY_MERCHANT_PRIVATE_KEY_FILE: '/keys/merchant.pem',
        MINIPAY_WALLET_PUBLIC_KEY_FILE: '/keys/wallet.pem',
      },
      {
        readFile: (path) =>
          files[path] ??
          (() => {
            throw Object.assign(new Error('nope'), { code: 'ENOENT' });
          })(),
      },
    );
    expect(options.merchantPrivateKey).toBe('PRIVATE PEM');
    expect(options.walletPublicKey).toBe('PUBLIC PEM');
  });

  test('an unreadable key file is named, and its content never quoted', () => {
    const failure = error(() =>
      loadConfig(
        { MINIPAY_HOME: HOME, MINIPAY_MERCHANT_PRIVATE_KEY_FILE: '/missing.pem' },
        {
          readFile: () => {
            throw Object.assign(new Error('x'), { code: 'ENOENT' });
          },
        },
      ),
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

  test('production with every setting resolves, touching no dev home', async () => {
    const config = await configFor(PRODUCTION);
    expect(config.production).toBe(true);
    expect(config.publicUrl).toBe('https://shop.example.com');
    expect(config.home).toBe(HOME);
  });

  test.each(Object.keys(PRODUCTION).filter((name) => name !== 'MINIPAY_ENV'))(
    'production without %s stops with a message naming it',
    async (name) => {
      const env: Record<string, string | undefined> = { ...PRODUCTION, [name]: undefined };
      const failure = await rejection(() => configFor(env));
      expect(failure.code).toBe('CONFIG_MISSING');
      expect(failure.message).toContain(name);
      expect(failure.message).toContain('MINIPAY_ENV=production');
    },
  );

  test('production names every missing setting at once', async () => {
    const failure = await rejection(() => configFor({ MINIPAY_ENV: 'production' }));
    for (const name of Object.keys(PRODUCTION).filter((n) => n !== 'MINIPAY_ENV'))
      expect(failure.message).toContain(name);
  });

  test('production refuses a plain-http public URL', async () => {
    const failure = await rejection(() => configFor({ ...PRODUCTION, MINIPAY_PUBLIC_URL: 'http://shop.example.com' }));
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
  ])('a malformed %s (%s) is refused with a message naming it', async (name, value) => {
    const failure = await rejection(async () => configFor({ ...PRODUCTION, MINIPAY_ENV: undefined, [name]: value }));
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain(name);
  });

  test('a secret never appears in a message', async () => {
    const failure = await rejection(() =>
      configFor({ ...PRODUCTION, MINIPAY_ENV: undefined, MINIPAY_SESSION_SECRET: 'hunter2' }),
    );
    expect(failure.message).not.toContain('hunter2');
  });

  test('setting both a key and its _FILE variable is refused', () => {
    const failure = error(() =>
      loadConfig({ MINIPAY_HOME: HOME, MINIPAY_WALLET_PUBLIC_KEY: 'a', MINIPAY_WALLET_PUBLIC_KEY_FILE: '/b' }),
    );
    expect(failure.message).toContain('MINIPAY_WALLET_PUBLIC_KEY_FILE');
  });
});
