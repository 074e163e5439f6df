import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { KeyFormatError, parsePrivateKey, parsePublicKey } from '@minipay/openapi';
import { fixture, keys, pemBody } from './helpers';

function thrown(fn: () => unknown): KeyFormatError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyFormatError);
    return error as KeyFormatError;
  }
  throw new Error('expected a KeyFormatError');
}

describe('parsePrivateKey', () => {
  it.each([
    ['PEM PKCS#8 RSA', 'test-merchant-rsa-private.pem', 'rsa'],
    ['PEM PKCS#1 RSA (openssl rsa -traditional)', 'test-merchant-rsa-private-pkcs1.pem', 'rsa'],
    ['bare Base64 PKCS#8 RSA', 'test-merchant-rsa-private-pkcs8.b64', 'rsa'],
    ['bare Base64 PKCS#1 RSA', 'test-merchant-rsa-private-pkcs1.b64', 'rsa'],
    ['PEM PKCS#8 EC P-224', 'test-merchant-ecc224-private.pem', 'ec'],
    [
      'PEM SEC1 EC P-224 with its EC PARAMETERS block (openssl ecparam -genkey)',
      'test-merchant-ecc224-private-sec1.pem',
      'ec',
    ],
    ['bare Base64 SEC1 EC P-224', 'test-merchant-ecc224-private-sec1.b64', 'ec'],
    ['bare Base64 PKCS#8 EC P-224', 'test-merchant-ecc224-private-pkcs8.b64', 'ec'],
  ])('accepts %s', (_name, file, type) => {
    const key = parsePrivateKey(fixture(file));
    expect(key.type).toBe('private');
    expect(key.asymmetricKeyType).toBe(type);
  });

  it('accepts bare Base64 wrapped over lines, and PEM with literal \\n from an environment variable', () => {
    const wrapped = fixture('test-merchant-rsa-private-pkcs8.b64').replace(/(.{64})/g, '$1\n');
    expect(parsePrivateKey(wrapped).type).toBe('private');
    const envStyle = keys.merchantRsaPrivate.trim().replace(/\n/g, '\\n');
    expect(parsePrivateKey(envStyle).type).toBe('private');
  });

  it.each<[string, (pem: string) => string]>([
    ['on one line (newlines lost in an environment variable)', (pem) => pem.replace(/\n/g, '')],
    ['on one line with spaces for newlines', (pem) => pem.trim().replace(/\n/g, ' ')],
    [
      'indented (as in a YAML file)',
      (pem) =>
        pem
          .split('\n')
          .map((line) => `    ${line}`)
          .join('\n'),
    ],
    ['in double quotes (as some .env loaders leave it)', (pem) => `"${pem.trim()}"`],
    ['in single quotes', (pem) => `'${pem.trim()}'`],
  ])('accepts PEM %s', (_name, mangle) => {
    for (const file of [
      'test-merchant-rsa-private.pem',
      'test-merchant-rsa-private-pkcs1.pem',
      'test-merchant-ecc224-private-sec1.pem',
    ]) {
      const original = createPrivateKey(fixture(file)).export({ type: 'pkcs8', format: 'der' });
      expect(
        parsePrivateKey(mangle(fixture(file)))
          .export({ type: 'pkcs8', format: 'der' })
          .equals(original),
      ).toBe(true);
    }
    expect(parsePublicKey(mangle(keys.merchantRsaPublic)).type).toBe('public');
  });

  it('accepts a private KeyObject as it is', () => {
    const key = createPrivateKey(keys.merchantRsaPrivate);
    expect(parsePrivateKey(key)).toBe(key);
  });

  it('parses a string once and then answers from the cache', () => {
    expect(parsePrivateKey(keys.merchantRsaPrivate)).toBe(parsePrivateKey(keys.merchantRsaPrivate));
  });

  it.each([
    ['a PEM public key', keys.merchantRsaPublic],
    ['a bare Base64 SPKI public key', fixture('test-merchant-rsa-public-spki.b64')],
    ['a public KeyObject', createPublicKey(keys.merchantRsaPublic)],
  ])('says that %s looks like a public key where a private key was expected', (_name, input) => {
    const error = thrown(() => parsePrivateKey(input));
    expect(error.code).toBe('INVALID_KEY');
    expect(error.message).toMatch(/looks like a public key, but a private key was expected/);
  });

  it.each([
    ['an empty string', '', /is empty/],
    ['garbage', 'not a key at all!', /neither PEM nor a bare Base64 key body/],
    [
      'Base64 that is no key',
      Buffer.from('hello world, not DER').toString('base64'),
      /not a DER key in any accepted format/,
    ],
    ['a file path', './keys/merchant-private.pem', /looks like a file path/],
    ['an encrypted PEM', fixture('test-broken-encrypted-pkcs8-private.pem'), /encrypted/],
    [
      'a traditional encrypted PEM (openssl genrsa -aes128)',
      fixture('test-broken-encrypted-traditional-private.pem'),
      /is an encrypted PEM key; decrypt it first/,
    ],
    ['a broken PEM', fixture('test-broken-pkcs8-private.pem'), /does not parse as a private key/],
    ['a number', 42, /must be a string or a KeyObject/],
  ])('refuses %s and lists the accepted formats', (_name, input, reason) => {
    const error = thrown(() => parsePrivateKey(input as string, 'privateKey'));
    expect(error.message).toMatch(reason);
    expect(error.message).toContain('privateKey');
    expect(error.message).toContain('PKCS#8');
    expect(error.message).toContain('PKCS#1');
    expect(error.message).toContain('SEC1');
  });
});

describe('parsePublicKey', () => {
  it.each([
    ['PEM SPKI RSA', 'test-merchant-rsa-public.pem'],
    ['PEM PKCS#1 RSA public (openssl rsa -RSAPublicKey_out)', 'test-merchant-rsa-public-pkcs1.pem'],
    ['bare Base64 SPKI RSA', 'test-merchant-rsa-public-spki.b64'],
    ['bare Base64 PKCS#1 RSA public', 'test-merchant-rsa-public-pkcs1.b64'],
    ['PEM SPKI EC P-224', 'test-merchant-ecc224-public.pem'],
    ['bare Base64 SPKI EC P-224', 'test-merchant-ecc224-public-spki.b64'],
  ])('accepts %s', (_name, file) => {
    expect(parsePublicKey(fixture(file)).type).toBe('public');
  });

  it.each([
    ['a PEM PKCS#8 private key', keys.merchantRsaPrivate],
    ['a PEM PKCS#1 private key', fixture('test-merchant-rsa-private-pkcs1.pem')],
    ['a bare Base64 private key', fixture('test-merchant-rsa-private-pkcs8.b64')],
    ['a private KeyObject', createPrivateKey(keys.merchantRsaPrivate)],
  ])('says that %s looks like a private key where a public key was expected', (_name, input) => {
    const error = thrown(() => parsePublicKey(input, 'walletPublicKey'));
    expect(error.message).toMatch(/^walletPublicKey looks like a private key, but a public key was expected/);
    expect(error.message).toContain('SPKI');
  });

  it('refuses a secret KeyObject', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(parsePublicKey(createPublicKey(privateKey)).type).toBe('public');
    const secret = require('node:crypto').createSecretKey(Buffer.alloc(32));
    expect(thrown(() => parsePublicKey(secret)).message).toMatch(/secret/);
  });
});

describe('key error messages', () => {
  it('never contain key material', () => {
    // A real key with its first line of Base64 spoiled: the message must not quote any of the rest.
    const broken = keys.merchantRsaPrivate.replace(/^(-+BEGIN PRIVATE KEY-+)\n/, '$1\n!!');
    expect(broken).not.toBe(keys.merchantRsaPrivate);
    const messages = [
      thrown(() => parsePublicKey(keys.merchantRsaPrivate)).message,
      thrown(() => parsePrivateKey(broken)).message,
      thrown(() => parsePublicKey(fixture('test-merchant-rsa-private-pkcs8.b64'))).message,
    ];
    const body = pemBody(keys.merchantRsaPrivate);
    for (const message of messages) {
      for (let i = 0; i + 16 <= body.length; i += 16) expect(message).not.toContain(body.slice(i, i + 16));
    }
  });
});
