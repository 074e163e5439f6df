import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  KeyFormatError,
  OpenApiError,
  parseSignatureHeader,
  sign,
  signingContent,
  verify,
  type Algorithm,
} from '@minipay/openapi';
import { keys } from './helpers';

const message = {
  method: 'POST',
  path: '/api/open/v2/payments/pay',
  clientId: 'TEST_CLIENT',
  time: '2019-04-04T12:08:56.253+05:30',
  body: '{"paymentRequestId":"r-1","paymentAmount":{"currency":"USD","value":"10000"},"note":"café ✓"}',
};

const pairs: Array<[Algorithm, string, string]> = [
  ['RSA256', keys.merchantRsaPrivate, keys.merchantRsaPublic],
  ['ECC224', keys.merchantEccPrivate, keys.merchantEccPublic],
];

describe('signingContent', () => {
  it('is "<METHOD> <path>\\n<Client-Id>.<Request-Time>.<body>" as PROTOCOL §4.3 writes it', () => {
    expect(
      signingContent(
        'POST',
        '/api/open/v2/payments/pay',
        'CLIENT',
        '2019-04-04T12:08:56.253+05:30',
        '{"a":1}',
      ).toString(),
    ).toBe('POST /api/open/v2/payments/pay\nCLIENT.2019-04-04T12:08:56.253+05:30.{"a":1}');
  });

  it('signs the same bytes for a string body and its UTF-8 bytes', () => {
    const a = signingContent('POST', '/p', 'C', 'T', message.body);
    const b = signingContent('POST', '/p', 'C', 'T', Buffer.from(message.body, 'utf8'));
    expect(a.equals(b)).toBe(true);
  });
});

describe.each(pairs)('sign and verify with %s', (algorithm, privateKey, publicKey) => {
  const signature = sign({ ...message, privateKey, algorithm });

  it('writes the header as algorithm=..., keyVersion=1, signature=<url-encoded base64>', () => {
    expect(signature).toMatch(new RegExp(`^algorithm=${algorithm}, keyVersion=1, signature=[A-Za-z0-9%]+$`));
    expect(signature).not.toMatch(/signature=.*[+/=]/);
  });

  it('verifies its own signature', () => {
    expect(verify({ ...message, signature, publicKey })).toBe(true);
  });

  it.each([
    ['method', { method: 'PUT' }],
    ['path', { path: '/api/open/v2/payments/refund' }],
    ['path prefix', { path: '/v2/payments/pay' }],
    ['client id', { clientId: 'TEST_CLIENT2' }],
    ['time', { time: '2019-04-04T12:08:56.254+05:30' }],
    ['body', { body: message.body.replace('10000', '10001') }],
    ['body whitespace', { body: message.body.replace(':', ': ') }],
  ])('fails when the %s changes', (_field, change) => {
    expect(verify({ ...message, ...change, signature, publicKey })).toBe(false);
  });

  it("fails with the other party's public key", () => {
    expect(verify({ ...message, signature, publicKey: keys.walletRsaPublic })).toBe(false);
  });

  it('tolerates spaces and case in the header keys and the algorithm', () => {
    const value = signature.split('signature=')[1];
    const loose = `  ALGORITHM = ${algorithm.toLowerCase()} ,KeyVersion=1,   Signature =${value}  `;
    expect(verify({ ...message, signature: loose, publicKey })).toBe(true);
  });

  it('accepts a signature that was not URL-encoded and one wrapped over lines', () => {
    const value = decodeURIComponent(signature.split('signature=')[1] ?? '');
    expect(verify({ ...message, signature: `algorithm=${algorithm}, signature=${value}`, publicKey })).toBe(true);
    const wrapped = value.replace(/(.{20})/g, '$1\n');
    expect(verify({ ...message, signature: `algorithm=${algorithm}, signature=${wrapped}`, publicKey })).toBe(true);
  });
});

describe('verify', () => {
  const signature = sign({ ...message, privateKey: keys.merchantRsaPrivate });

  it('defaults to RSA256 when the header names no algorithm', () => {
    expect(
      verify({
        ...message,
        signature: `signature=${signature.split('signature=')[1]}`,
        publicKey: keys.merchantRsaPublic,
      }),
    ).toBe(true);
  });

  it.each([
    ['an empty header', ''],
    ['no signature pair', 'algorithm=RSA256, keyVersion=1'],
    ['an unknown algorithm', signature.replace('RSA256', 'HMAC256')],
    ['the wrong algorithm for the key', signature.replace('RSA256', 'ECC224')],
    ['an empty signature', 'algorithm=RSA256, signature='],
    ['bad percent-encoding', 'algorithm=RSA256, signature=%E0%A4%A'],
    ['non-Base64 characters', 'algorithm=RSA256, signature=abc$def'],
    ['a truncated signature', signature.slice(0, -10)],
    ['a pair without "="', `${signature}, junk`],
    ['random bytes', `algorithm=RSA256, signature=${encodeURIComponent(Buffer.alloc(256, 7).toString('base64'))}`],
  ])('returns false, never throws, for %s', (_name, header) => {
    expect(verify({ ...message, signature: header, publicKey: keys.merchantRsaPublic })).toBe(false);
  });

  it.each([
    [
      'signature twice, the valid one last',
      (value: string) => `algorithm=RSA256, keyVersion=1, signature=AAAA, signature=${value}`,
    ],
    [
      'signature twice, the valid one first',
      (value: string) => `algorithm=RSA256, keyVersion=1, signature=${value}, signature=AAAA`,
    ],
    ['algorithm twice', (value: string) => `algorithm=ECC224, algorithm=RSA256, keyVersion=1, signature=${value}`],
    ['keyVersion twice', (value: string) => `algorithm=RSA256, keyVersion=2, KeyVersion=1, signature=${value}`],
    [
      'two Signature headers, as node:http joins them',
      (value: string) => `${signature}, algorithm=RSA256, keyVersion=1, signature=${value}`,
    ],
  ])('returns false for a header with %s (ambiguous), even when one of them is valid', (_name, header) => {
    const value = signature.split('signature=')[1]!;
    expect(
      verify({
        ...message,
        signature: `algorithm=RSA256, keyVersion=1, signature=${value}`,
        publicKey: keys.merchantRsaPublic,
      }),
    ).toBe(true);
    expect(verify({ ...message, signature: header(value), publicKey: keys.merchantRsaPublic })).toBe(false);
  });

  it('never throws, and accepts only headers carrying the valid signature, for 2,000 seeded random headers', () => {
    // A small deterministic PRNG (mulberry32), so a failure reproduces.
    let seed = 20260102;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const value = signature.split('signature=')[1]!;
    const pieces = [
      'algorithm',
      'ALGORITHM',
      'keyVersion',
      'signature',
      'Signature',
      '=',
      '==',
      ',',
      ', ',
      ' ',
      '\t',
      '\n',
      '%',
      '%2B',
      '%2',
      '%ZZ',
      'RSA256',
      'ecc224',
      'RSA512',
      'AAAA',
      '+/',
      '\u0000',
      'é',
      value,
      value.slice(0, 17),
      decodeURIComponent(value),
    ];
    for (let i = 0; i < 2000; i++) {
      const header = Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(pieces)).join('');
      for (const publicKey of [keys.merchantRsaPublic, keys.merchantEccPublic]) {
        let answer: unknown;
        expect(() => (answer = verify({ ...message, signature: header, publicKey }))).not.toThrow();
        expect(typeof answer).toBe('boolean');
        if (answer)
          expect(
            publicKey === keys.merchantRsaPublic &&
              (header.includes(value) || header.includes(decodeURIComponent(value))),
          ).toBe(true);
      }
    }
    expect(verify({ ...message, signature, publicKey: keys.merchantRsaPublic })).toBe(true);
  });

  it('returns false for a garbage ECDSA signature', () => {
    expect(
      verify({ ...message, signature: 'algorithm=ECC224, signature=AAAA', publicKey: keys.merchantEccPublic }),
    ).toBe(false);
  });

  it('throws a KeyFormatError for a key that does not parse', () => {
    expect(() => verify({ ...message, signature, publicKey: 'nonsense' })).toThrow(KeyFormatError);
  });

  it.each([
    ['sign', () => sign({ ...message, body: JSON.parse(message.body), privateKey: keys.merchantRsaPrivate })],
    [
      'verify',
      () => verify({ ...message, body: JSON.parse(message.body), signature, publicKey: keys.merchantRsaPublic }),
    ],
  ])('%s refuses a parsed object and says to pass the raw body', (_name, call) => {
    expect(call).toThrow(OpenApiError);
    expect(call).toThrow('pass the raw body string that travelled, not the parsed JSON');
    try {
      call();
    } catch (error) {
      expect((error as OpenApiError).code).toBe('BODY_NOT_RAW');
    }
  });
});

describe('sign', () => {
  it('takes a KeyObject and a keyVersion', () => {
    const header = sign({ ...message, privateKey: createPrivateKey(keys.merchantRsaPrivate), keyVersion: 3 });
    expect(header).toMatch(/^algorithm=RSA256, keyVersion=3, signature=/);
  });

  it.each([
    [
      'an RSA key with ECC224',
      'ECC224' as const,
      keys.merchantRsaPrivate,
      /is an RSA key, but algorithm ECC224 needs an EC P-224/,
    ],
    [
      'a P-224 key with RSA256',
      'RSA256' as const,
      keys.merchantEccPrivate,
      /is an EC P-224 key, but algorithm RSA256 needs an RSA key/,
    ],
    [
      'a P-256 key with ECC224',
      'ECC224' as const,
      keys.otherEcP256Private,
      /EC \(prime256v1\) key, but algorithm ECC224/,
    ],
  ])('refuses %s', (_name, algorithm, privateKey, reason) => {
    expect(() => sign({ ...message, privateKey, algorithm })).toThrow(reason);
  });

  it('refuses an RSA key under 2048 bits, naming its size', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => sign({ ...message, privateKey })).toThrow(
      expect.objectContaining({
        name: 'KeyFormatError',
        message: 'privateKey is a 1024-bit RSA key, but algorithm RSA256 needs an RSA key of at least 2048 bits',
      }),
    );
  });

  it('signs with an RSA key over 2048 bits', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    expect(verify({ ...message, signature: sign({ ...message, privateKey }), publicKey })).toBe(true);
  });

  it('refuses a public key with a hint', () => {
    expect(() => sign({ ...message, privateKey: keys.merchantRsaPublic })).toThrow(
      'privateKey looks like a public key, but a private key was expected',
    );
  });

  it.each<[string, unknown]>([
    ['another pair smuggled in', '1, signature=AAAA'],
    ['an empty string', ''],
    ['a space', '1 2'],
    ['an object', {}],
    ['a fraction', 1.5],
    ['a negative number', -1],
  ])('refuses a keyVersion that is %s, which would corrupt the header', (_name, keyVersion) => {
    expect(() => sign({ ...message, privateKey: keys.merchantRsaPrivate, keyVersion: keyVersion as number })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^keyVersion must be/) }),
    );
  });

  it.each<[number | string, string]>([
    [0, '0'],
    [12, '12'],
    ['3', '3'],
    ['2024-01', '2024-01'],
  ])('writes keyVersion %p as %s', (keyVersion, written) => {
    expect(sign({ ...message, privateKey: keys.merchantRsaPrivate, keyVersion })).toContain(
      `, keyVersion=${written}, `,
    );
  });

  it.each([
    ['an empty client id', { clientId: '' }, /clientId must be a non-empty string/],
    ['a full URL as path', { path: 'http://x/api/open/v2/payments/pay' }, /path must be the path as sent/],
    ['an unknown algorithm', { algorithm: 'RSA512' as Algorithm }, /algorithm must be 'RSA256' or 'ECC224'/],
  ])('refuses %s', (_name, change, reason) => {
    expect(() => sign({ ...message, privateKey: keys.merchantRsaPrivate, ...change })).toThrow(reason);
  });
});

describe('parseSignatureHeader', () => {
  it('reads the seed example shape', () => {
    expect(parseSignatureHeader('algorithm=RSA256, keyVersion=1, signature=KEhX%2FOW4%2B6A%3D')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '1',
      signature: 'KEhX/OW4+6A=',
    });
  });

  it.each([
    ['lower-case escapes', 'signature=KEhX%2fOW4%2b6A%3d', 'KEhX/OW4+6A='],
    ['no escapes at all', 'signature=KEhX/OW4+6A=', 'KEhX/OW4+6A='],
    ['another escape, decoded as decodeURIComponent would', 'signature=KEhX%2F%41W4%2B6A%3D', 'KEhX/AW4+6A='],
    ['a value wrapped over lines', 'signature=KEhX\n  OW4+\r\n6A=', 'KEhXOW4+6A='],
    ['case and spaces in names and algorithm', ' Algorithm = ecc224 ,SIGNATURE = AAAA', 'AAAA'],
  ])('reads %s', (_name, header, signature) => {
    expect(parseSignatureHeader(header.replace(/\\n/g, '\n').replace(/\\r/g, '\r'))?.signature).toBe(signature);
  });

  it.each([
    ['a bad escape', 'signature=AAAA%2'],
    ['a non-hex escape', 'signature=AAAA%ZZ'],
    ['data after padding', 'signature=AA==AA'],
    ['a non-ASCII character', 'signature=AAAé'],
    ['a percent-encoded non-Base64 byte', 'signature=AAAA%21'],
    ['an empty value', 'signature=  '],
    ['an unknown algorithm', 'algorithm=RSA512, signature=AAAA'],
    ['a missing signature', 'algorithm=RSA256, keyVersion=1'],
    ['a duplicated signature', 'signature=AAAA, signature=BBBB'],
    ['a duplicated algorithm', 'algorithm=RSA256, Algorithm=RSA256, signature=AAAA'],
  ])('refuses %s', (_name, header) => {
    expect(parseSignatureHeader(header)).toBeUndefined();
  });
});
