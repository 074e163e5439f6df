// Shared test material: the committed test keys (generated once with openssl) and, below, a fake wallet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The text of a committed test fixture. */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

export const keys = {
  merchantRsaPrivate: fixture('test-merchant-rsa-private.pem'),
  merchantRsaPublic: fixture('test-merchant-rsa-public.pem'),
  walletRsaPrivate: fixture('test-wallet-rsa-private.pem'),
  walletRsaPublic: fixture('test-wallet-rsa-public.pem'),
  merchantEccPrivate: fixture('test-merchant-ecc224-private.pem'),
  merchantEccPrivateSec1: fixture('test-merchant-ecc224-private-sec1.pem'),
  merchantEccPublic: fixture('test-merchant-ecc224-public.pem'),
  otherEcP256Private: fixture('test-other-ec-p256-private.pem'),
};

/** The Base64 of a PEM file's key block, to prove messages never echo key material. */
export function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}
