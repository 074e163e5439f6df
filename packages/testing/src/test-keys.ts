// The test keys of the conformance fixtures, committed under test/fixtures (generated once with openssl; test keys
// only, never use them anywhere else), and a dev home seeded with them, so that the sandbox and the merchant server
// trust exactly the keys the openssl CLI signs with.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

// CommonJS and jest only (the package's tests and the other packages' jest suites): ES modules have no __dirname.
declare const __dirname: string;

export interface TestKeyFiles {
  merchantPrivate: string;
  merchantPublic: string;
  walletPrivate: string;
  walletPublic: string;
}

/** The paths of the conformance test keys (RSA 2048, PEM PKCS#8 / SPKI). */
export function sdkTestKeys(): TestKeyFiles {
  const fixtures = join(__dirname, '..', 'test', 'fixtures');
  return {
    merchantPrivate: join(fixtures, 'test-sdk-merchant-rsa-private.pem'),
    merchantPublic: join(fixtures, 'test-sdk-merchant-rsa-public.pem'),
    walletPrivate: join(fixtures, 'test-sdk-wallet-rsa-private.pem'),
    walletPublic: join(fixtures, 'test-sdk-wallet-rsa-public.pem'),
  };
}

/**
 * Puts the test keys into the dev home `home` as `merchant-private.pem` and `wallet-private.pem`; the first part
 * that starts there (ensureDevHome) derives the public keys and writes config.json.
 */
export function seedDevHome(home: string): TestKeyFiles {
  const keys = sdkTestKeys();
  mkdirSync(home, { recursive: true });
  copyFileSync(keys.merchantPrivate, join(home, 'merchant-private.pem'));
  copyFileSync(keys.walletPrivate, join(home, 'wallet-private.pem'));
  return keys;
}
