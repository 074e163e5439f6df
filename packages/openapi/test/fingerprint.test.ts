import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { KeyFormatError, keyFingerprint } from '@minipay/openapi';
import { keys } from './helpers';

const fixtures = join(__dirname, 'fixtures');

/** The openssl CLI's SHA-256 of the key's SubjectPublicKeyInfo, in Base64. */
function opensslFingerprint(publicKeyFile: string): string {
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', join(fixtures, publicKeyFile), '-outform', 'DER']);
  const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der });
  return `SHA256:${execFileSync('openssl', ['base64', '-A'], { input: digest }).toString('utf8').trim()}`;
}

describe('keyFingerprint', () => {
  it.each([
    ['RSA', 'test-merchant-rsa-public.pem', keys.merchantRsaPublic, keys.merchantRsaPrivate],
    ['EC P-224', 'test-merchant-ecc224-public.pem', keys.merchantEccPublic, keys.merchantEccPrivate],
  ])('of a %s public key is what openssl computes over its SPKI DER', (_kind, file, publicPem) => {
    expect(keyFingerprint(publicPem)).toBe(opensslFingerprint(file));
  });

  it('is the same for the public key, its private key, a KeyObject and PKCS#1 PEM', () => {
    const expected = keyFingerprint(keys.merchantRsaPublic);
    expect(keyFingerprint(keys.merchantRsaPrivate)).toBe(expected);
    expect(keyFingerprint(createPrivateKey(keys.merchantRsaPrivate))).toBe(expected);
    const pkcs1 = createPublicKey(keys.merchantRsaPublic).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(keyFingerprint(pkcs1)).toBe(expected);
  });

  it('tells two keys apart', () => {
    expect(keyFingerprint(keys.walletRsaPublic)).not.toBe(keyFingerprint(keys.merchantRsaPublic));
  });

  it('refuses something that is no key', () => {
    expect(() => keyFingerprint('not a key')).toThrow(KeyFormatError);
  });
});
