// The openssl CLI as an independent signer and verifier: if both directions agree, the content construction,
// the hash, the signature encoding and the header format are what any SHA256withRSA / SHA256withECDSA
// implementation (the wallets' Java SDKs) produces and expects.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign, signingContent, verify, type Algorithm } from '@minipay/openapi';
import { fixture } from './helpers';

const fixtures = join(__dirname, 'fixtures');
const message = {
  method: 'POST',
  path: '/api/open/v2/payments/pay',
  clientId: 'TEST_CLIENT',
  time: '2019-04-04T12:08:56.253+05:30',
  body: '{"paymentRequestId":"r-1","paymentAmount":{"currency":"USD","value":"10000"},"order":{"orderDescription":"Café ☕"}}',
};

const dir = mkdtempSync(join(tmpdir(), 'minipay-openssl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opensslSign(privateKeyFile: string, content: Buffer): Buffer {
  const input = join(dir, 'content.bin');
  writeFileSync(input, content);
  return execFileSync('openssl', ['dgst', '-sha256', '-sign', join(fixtures, privateKeyFile), input]);
}

function opensslVerify(publicKeyFile: string, content: Buffer, signature: Buffer): boolean {
  const input = join(dir, 'content.bin');
  const sig = join(dir, 'signature.bin');
  writeFileSync(input, content);
  writeFileSync(sig, signature);
  try {
    const out = execFileSync(
      'openssl',
      ['dgst', '-sha256', '-verify', join(fixtures, publicKeyFile), '-signature', sig, input],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return out.toString().includes('Verified OK');
  } catch {
    return false;
  }
}

function header(algorithm: Algorithm, signature: Buffer): string {
  return `algorithm=${algorithm}, keyVersion=1, signature=${encodeURIComponent(signature.toString('base64'))}`;
}

function signatureBytes(headerValue: string): Buffer {
  return Buffer.from(decodeURIComponent(headerValue.split('signature=')[1] ?? ''), 'base64');
}

const content = (m: typeof message) => signingContent(m.method, m.path, m.clientId, m.time, m.body);

const cases: Array<[Algorithm, string, string]> = [
  ['RSA256', 'test-merchant-rsa-private.pem', 'test-merchant-rsa-public.pem'],
  ['ECC224', 'test-merchant-ecc224-private-sec1.pem', 'test-merchant-ecc224-public.pem'],
];

describe.each(cases)('%s against the openssl CLI', (algorithm, privateFile, publicFile) => {
  it('verify accepts what openssl dgst -sha256 -sign produced', () => {
    const signature = header(algorithm, opensslSign(privateFile, content(message)));
    expect(verify({ ...message, signature, publicKey: fixture(publicFile) })).toBe(true);
  });

  it('openssl dgst -sha256 -verify accepts what sign produced', () => {
    const signature = sign({ ...message, privateKey: fixture(privateFile), algorithm });
    expect(opensslVerify(publicFile, content(message), signatureBytes(signature))).toBe(true);
  });

  it('openssl refuses our signature over other content (the check can fail)', () => {
    const signature = sign({ ...message, privateKey: fixture(privateFile), algorithm });
    expect(
      opensslVerify(publicFile, content({ ...message, body: `${message.body} ` }), signatureBytes(signature)),
    ).toBe(false);
  });

  it.each([
    ['method', { method: 'GET' }],
    ['path', { path: '/api/open/v2/payments/refund' }],
    ['client id', { clientId: 'OTHER_CLIENT' }],
    ['time', { time: '2019-04-04T12:08:57.253+05:30' }],
    ['body', { body: message.body.replace('10000', '1000') }],
  ])('an openssl signature does not verify once the %s changes', (_name, change) => {
    const signature = header(algorithm, opensslSign(privateFile, content(message)));
    expect(verify({ ...message, ...change, signature, publicKey: fixture(publicFile) })).toBe(false);
  });
});

describe('keys converted by openssl into every accepted format', () => {
  const rsaSigned = header('RSA256', opensslSign('test-merchant-rsa-private.pem', content(message)));
  const eccSigned = header('ECC224', opensslSign('test-merchant-ecc224-private-sec1.pem', content(message)));

  it.each([
    ['SPKI PEM', 'test-merchant-rsa-public.pem'],
    ['PKCS#1 PEM (openssl rsa -RSAPublicKey_out)', 'test-merchant-rsa-public-pkcs1.pem'],
    ['bare Base64 SPKI', 'test-merchant-rsa-public-spki.b64'],
    ['bare Base64 PKCS#1', 'test-merchant-rsa-public-pkcs1.b64'],
  ])('RSA public key as %s verifies an openssl signature', (_name, file) => {
    expect(verify({ ...message, signature: rsaSigned, publicKey: fixture(file) })).toBe(true);
  });

  it.each([
    ['SPKI PEM', 'test-merchant-ecc224-public.pem'],
    ['bare Base64 SPKI', 'test-merchant-ecc224-public-spki.b64'],
  ])('P-224 public key as %s verifies an openssl signature', (_name, file) => {
    expect(verify({ ...message, signature: eccSigned, publicKey: fixture(file) })).toBe(true);
  });

  it.each([
    ['RSA256', 'PKCS#8 PEM', 'test-merchant-rsa-private.pem', 'test-merchant-rsa-public.pem'],
    [
      'RSA256',
      'PKCS#1 PEM (openssl rsa -traditional)',
      'test-merchant-rsa-private-pkcs1.pem',
      'test-merchant-rsa-public.pem',
    ],
    ['RSA256', 'bare Base64 PKCS#8', 'test-merchant-rsa-private-pkcs8.b64', 'test-merchant-rsa-public.pem'],
    ['RSA256', 'bare Base64 PKCS#1', 'test-merchant-rsa-private-pkcs1.b64', 'test-merchant-rsa-public.pem'],
    [
      'ECC224',
      'SEC1 PEM (openssl ecparam -genkey)',
      'test-merchant-ecc224-private-sec1.pem',
      'test-merchant-ecc224-public.pem',
    ],
    ['ECC224', 'PKCS#8 PEM', 'test-merchant-ecc224-private.pem', 'test-merchant-ecc224-public.pem'],
    ['ECC224', 'bare Base64 SEC1', 'test-merchant-ecc224-private-sec1.b64', 'test-merchant-ecc224-public.pem'],
    ['ECC224', 'bare Base64 PKCS#8', 'test-merchant-ecc224-private-pkcs8.b64', 'test-merchant-ecc224-public.pem'],
  ])('%s private key as %s signs what openssl verifies', (algorithm, _name, privateFile, publicFile) => {
    const signature = sign({ ...message, privateKey: fixture(privateFile), algorithm: algorithm as Algorithm });
    expect(opensslVerify(publicFile, content(message), signatureBytes(signature))).toBe(true);
  });
});
