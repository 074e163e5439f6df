// The signature doctor, cause by cause: each row breaks one thing about a correctly signed message and checks that
// the diagnosis names that cause (with its evidence), that verification still refuses the message, and that nothing
// secret appears in what the doctor says.
import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import {
  ACCEPTED_TIME_FORMS,
  diagnoseRequest,
  diagnoseResponse,
  diagnoseSignature,
  formatDiagnosis,
  keyFingerprint,
  sign,
  signRequest,
  signingContent,
  verify,
  verifyRequest,
  type CheckedMessage,
  type DiagnosisCause,
  type SignatureDiagnosis,
} from '@minipay/openapi';
import { keys, pemBody } from './helpers';

const SECRET_TOKEN = 'ACCESS-TOKEN-9f8e7d6c5b4a';
const base = {
  method: 'POST',
  path: '/api/open/v2/payments/pay',
  clientId: 'TEST_CLIENT',
  time: '2026-12-01T08:26:32+00:00',
  body: JSON.stringify({
    paymentRequestId: 'r-1',
    paymentAmount: { currency: 'USD', value: '1250' },
    order: { orderDescription: 'Café au lait', merchant: { website: 'https://shop.example/a' } },
    accessToken: SECRET_TOKEN,
  }),
};
const now = new Date('2026-12-01T08:26:40Z');
const merchant = { name: 'merchant-public.pem', key: keys.merchantRsaPublic };
const wallet = { name: 'wallet-public.pem', key: keys.walletRsaPublic };

function signed(change: Partial<typeof base> & { privateKey?: string; algorithm?: 'RSA256' | 'ECC224' } = {}): string {
  const { privateKey = keys.merchantRsaPrivate, algorithm = 'RSA256', ...fields } = change;
  return sign({ ...base, ...fields, privateKey, algorithm });
}

function checked(change: Partial<CheckedMessage> = {}): CheckedMessage {
  return { ...base, signature: signed(), keys: [merchant, wallet], now, ...change };
}

/** A signature header whose Base64 contains "+" (RSA PKCS#1 v1.5 is deterministic: vary the request id until it does). */
const withPlus = (() => {
  for (let i = 0; ; i++) {
    const body = base.body.replace('"r-1"', `"r-${i}"`);
    const header = sign({ ...base, body, privateKey: keys.merchantRsaPrivate });
    if (decodeURIComponent(header.split('signature=')[1]!).includes('+')) return { body, header };
  }
})();

const pythonBody = `{\n   "paymentRequestId": "r-1",\n   "paymentAmount": {\n      "currency": "USD",\n      "value": "1250"\n   },\n   "order": {\n      "orderDescription": "Caf\\u00e9 au lait",\n      "merchant": {\n         "website": "https://shop.example/a"\n      }\n   },\n   "accessToken": "${SECRET_TOKEN}"\n}`;
const phpBody = base.body.replace('Café', 'Caf\\u00e9').replace(/\//g, '\\/');

type Row = [string, DiagnosisCause, () => CheckedMessage, (d: SignatureDiagnosis) => void];
const rows: Row[] = [
  [
    'an untouched message',
    'VERIFIED',
    () => checked(),
    (d) =>
      expect(d.summary).toMatch(
        /^the request signature verifies for POST \/api\/open\/v2\/payments\/pay with merchant-public\.pem/,
      ),
  ],
  [
    'no Client-Id header',
    'MISSING_HEADER',
    () => checked({ clientId: undefined }),
    (d) => expect(d).toMatchObject({ header: 'Client-Id' }),
  ],
  [
    'no Request-Time header',
    'MISSING_HEADER',
    () => checked({ time: '' }),
    (d) => expect(d).toMatchObject({ header: 'Request-Time' }),
  ],
  [
    'no Signature header',
    'MISSING_HEADER',
    () => checked({ signature: undefined }),
    (d) => expect(d).toMatchObject({ header: 'Signature' }),
  ],
  [
    'a Signature header without signature=',
    'MALFORMED_SIGNATURE_HEADER',
    () => checked({ signature: 'algorithm=RSA256, keyVersion=1' }),
    (d) => expect(d.summary).toMatch(/no signature=<value> pair/),
  ],
  [
    'an unknown algorithm',
    'MALFORMED_SIGNATURE_HEADER',
    () => checked({ signature: signed().replace('RSA256', 'SHA1RSA') }),
    (d) => expect(d.summary).toMatch(/"SHA1RSA" is neither RSA256 nor ECC224/),
  ],
  [
    'a truncated signature',
    'MALFORMED_SIGNATURE_HEADER',
    () =>
      checked({ signature: `algorithm=RSA256, keyVersion=1, signature=${Buffer.alloc(128, 7).toString('base64')}` }),
    (d) => expect(d.summary).toMatch(/the signature is 128 bytes, and merchant-public\.pem makes 256-byte signatures/),
  ],
  [
    'epoch seconds for Request-Time',
    'TIME_FORMAT_NOT_ACCEPTED',
    () => checked({ time: '1796114156' }),
    (d) => {
      expect(d.summary).toContain('epoch seconds? send milliseconds');
      expect(d.summary).toContain(ACCEPTED_TIME_FORMS);
    },
  ],
  [
    'a correctly signed message 400 s old',
    'TIME_OUTSIDE_WINDOW',
    () => checked({ now: new Date(now.getTime() + 392_000) }),
    (d) => {
      expect(d).toMatchObject({ skewSeconds: -400, toleranceSeconds: 300 });
      expect(d.summary).toMatch(/verifies, but Request-Time is 400 s in the past, outside the 300 s window/);
    },
  ],
  [
    'a signature URL-encoded twice',
    'SIGNATURE_NOT_URL_DECODED',
    () => {
      const header = signed();
      const value = header.split('signature=')[1]!;
      return checked({ signature: header.replace(value, encodeURIComponent(value)) });
    },
    (d) => expect(d.details.join(' ')).toMatch(/URL-encode the Base64 signature once/),
  ],
  [
    'a plain signature whose "+" became spaces',
    'SIGNATURE_PLUS_AS_SPACE',
    () => {
      const value = decodeURIComponent(withPlus.header.split('signature=')[1]!);
      return checked({
        body: withPlus.body,
        signature: `algorithm=RSA256,keyVersion=1,signature=${value.replace(/\+/g, ' ')}`,
      });
    },
    (d) => expect(d.summary).toMatch(/spaces where its Base64 had "\+"/),
  ],
  ['no key for the Client-Id', 'UNKNOWN_KEY', () => checked({ keys: [] }), (d) => expect(d.keyTried).toBeNull()],
  [
    'ECC224 in the header, RSA keys on both sides',
    'ALGORITHM_KEY_MISMATCH',
    () => checked({ signature: signed().replace('RSA256', 'ECC224') }),
    (d) => expect(d.summary).toMatch(/the header says ECC224, but merchant-public\.pem is an RSA key/),
  ],
  [
    'signed with the wallet key, which is known here',
    'WRONG_KEY',
    () => checked({ signature: signed({ privateKey: keys.walletRsaPrivate }) }),
    (d) => {
      expect(d).toMatchObject({
        keyThatVerifies: { name: 'wallet-public.pem', fingerprint: keyFingerprint(keys.walletRsaPublic) },
      });
      expect(d.keyTried).toEqual({ name: 'merchant-public.pem', fingerprint: keyFingerprint(keys.merchantRsaPublic) });
    },
  ],
  [
    'signed with a key nobody here knows',
    'WRONG_KEY',
    () => checked({ signature: signed({ privateKey: keys.walletRsaPrivate }), keys: [merchant] }),
    (d) => {
      expect(d).toMatchObject({ keyThatVerifies: null });
      expect(d.details.join(' ')).toMatch(/padding does not open with the key tried/);
    },
  ],
  [
    'signed over the path without the wallet prefix (a gateway URL ending in the prefix)',
    'PATH_PREFIX_MISSING',
    () => checked({ signature: signed({ path: '/v2/payments/pay' }) }),
    (d) => {
      expect(d).toMatchObject({ signedPath: '/v2/payments/pay' });
      expect(d.summary).toMatch(
        /signed over \/v2\/payments\/pay, without the prefix \/api\/open of \/api\/open\/v2\/payments\/pay/,
      );
    },
  ],
  [
    'checked over the path a proxy stripped of its prefix',
    'PATH_PREFIX_EXTRA',
    () => checked({ path: '/v2/payments/pay' }),
    (d) => expect(d).toMatchObject({ signedPath: '/api/open/v2/payments/pay' }),
  ],
  [
    'checked with a query string the sender did not sign',
    'PATH_DIFFERS',
    () => checked({ path: `${base.path}?trace=1` }),
    (d) => expect(d).toMatchObject({ signedPath: base.path }),
  ],
  [
    'a Python SDK body (indent=3, \\u escapes) re-serialised compact before checking',
    'BODY_RESERIALISED',
    () => checked({ signature: signed({ body: pythonBody }) }),
    (d) => expect(d).toMatchObject({ signedLayout: expect.stringContaining('Python SDK') }),
  ],
  [
    'a PHP SDK body (escaped slashes) re-serialised compact before checking',
    'BODY_RESERIALISED',
    () => checked({ signature: signed({ body: phpBody }) }),
    (d) => expect(d).toMatchObject({ signedLayout: expect.stringContaining('PHP SDK') }),
  ],
  [
    'a body changed after signing',
    'BODY_CHANGED',
    () => checked({ body: base.body.replace('1250', '1') }),
    (d) => expect(d.summary).toMatch(/the key is right, but the signed content differs/),
  ],
  [
    'a signature over a SHA-1 digest',
    'BODY_CHANGED',
    () => {
      const raw = cryptoSign(
        'sha1',
        signingContent(base.method, base.path, base.clientId, base.time, base.body),
        createPrivateKey(keys.merchantRsaPrivate),
      );
      return checked({
        signature: `algorithm=RSA256, keyVersion=1, signature=${encodeURIComponent(raw.toString('base64'))}`,
      });
    },
    (d) => expect(d.details.join(' ')).toMatch(/SHA-1 digest, not SHA-256/),
  ],
  [
    'an ECC224 signature over a changed body',
    'UNEXPLAINED',
    () =>
      checked({
        signature: signed({ privateKey: keys.merchantEccPrivate, algorithm: 'ECC224' }),
        body: `${base.body.replace('1250', '1')}`,
        keys: [{ name: 'ecc.pem', key: keys.merchantEccPublic }],
      }),
    (d) => expect(d.summary).toMatch(/ECC224 cannot tell them apart/),
  ],
  [
    'an ECC224 signature over the path without its prefix (found by trying, as ECDSA hides the digest)',
    'PATH_PREFIX_MISSING',
    () =>
      checked({
        signature: signed({ privateKey: keys.merchantEccPrivate, algorithm: 'ECC224', path: '/v2/payments/pay' }),
        keys: [{ name: 'ecc.pem', key: keys.merchantEccPublic }],
      }),
    (d) => expect(d).toMatchObject({ signedPath: '/v2/payments/pay' }),
  ],
  [
    'a response for another merchant',
    'CLIENT_ID_MISMATCH',
    () => checked({ kind: 'response', expectedClientId: 'ME' }),
    (d) => expect(d).toMatchObject({ expectedClientId: 'ME' }),
  ],
];

describe('diagnoseSignature names the cause', () => {
  test.each(rows)('%s: %s', (_name, cause, make, more) => {
    const message = make();
    const diagnosis = diagnoseSignature(message);
    expect(diagnosis.cause).toBe(cause);
    expect(diagnosis.verified).toBe(cause === 'VERIFIED');
    more(diagnosis);
  });

  test.each(rows.filter(([, cause]) => cause !== 'VERIFIED' && cause !== 'CLIENT_ID_MISMATCH'))(
    'verification still refuses %s (the doctor explains, it never lets a message pass)',
    (_name, _cause, make) => {
      const message = make();
      const headers = { 'Client-Id': message.clientId, 'Request-Time': message.time, Signature: message.signature };
      expect(() =>
        verifyRequest({
          headers,
          rawBody: message.body,
          path: message.path,
          publicKey: message.keys[0]?.key ?? (() => undefined),
          now: message.now,
        }),
      ).toThrow();
    },
  );

  test.each(rows)('reveals no secret for %s: no body text, no token, no key material', (_name, _cause, make) => {
    const diagnosis = diagnoseSignature(make());
    const said = `${JSON.stringify(diagnosis)}\n${formatDiagnosis(diagnosis)}`;
    expect(said).not.toContain(SECRET_TOKEN);
    expect(said).not.toContain('Café');
    for (const pem of [
      keys.merchantRsaPrivate,
      keys.walletRsaPrivate,
      keys.merchantRsaPublic,
      keys.merchantEccPrivate,
    ]) {
      expect(said).not.toContain(pemBody(pem).slice(20, 60));
    }
  });
});

describe('what was checked', () => {
  test('the content head, the body hash and length, the header fields', () => {
    const diagnosis = diagnoseSignature(checked());
    expect(diagnosis.checked).toEqual({
      kind: 'request',
      method: 'POST',
      path: base.path,
      clientId: 'TEST_CLIENT',
      timeHeader: 'Request-Time',
      time: base.time,
      timeForm: 'iso8601',
      contentHead: `POST ${base.path}\nTEST_CLIENT.${base.time}.`,
      body: {
        length: Buffer.byteLength(base.body),
        sha256: require('node:crypto').createHash('sha256').update(base.body).digest('hex'),
      },
      algorithm: 'RSA256',
      keyVersion: '1',
      signatureEncoding: 'url-encoded',
    });
  });

  test('formatDiagnosis shows the cause, the content string and the keys', () => {
    const text = formatDiagnosis(
      diagnoseSignature(checked({ signature: signed({ privateKey: keys.walletRsaPrivate }) })),
    );
    expect(text).toMatch(
      /^NOT VERIFIED: the request signature does not verify for POST \/api\/open\/v2\/payments\/pay: signed with the key of wallet-public\.pem/,
    );
    expect(text).toContain('cause:        WRONG_KEY');
    expect(text).toContain(`content:      "POST /api/open/v2/payments/pay\\nTEST_CLIENT.${base.time}." + the body`);
    expect(text).toContain(`would verify: wallet-public.pem ${keyFingerprint(keys.walletRsaPublic)}`);
  });
});

describe('diagnoseRequest and diagnoseResponse read the message as the verifiers do', () => {
  const body = '{"paymentId":"p-1"}';
  const headers = signRequest({ path: '/notify', clientId: 'C', body, privateKey: keys.walletRsaPrivate, now });

  test('the same headers, key and clock as verifyRequest: verified', () => {
    const options = { headers, rawBody: body, path: '/notify', publicKey: keys.walletRsaPublic, now };
    expect(() => verifyRequest(options)).not.toThrow();
    expect(diagnoseRequest(options).cause).toBe('VERIFIED');
  });

  test('the replay window of verifyRequest, with its default of 300 s', () => {
    const late = new Date(now.getTime() + 301_000);
    const diagnosis = diagnoseRequest({
      headers,
      rawBody: body,
      path: '/notify',
      publicKey: keys.walletRsaPublic,
      now: late,
    });
    expect(diagnosis).toMatchObject({ cause: 'TIME_OUTSIDE_WINDOW', skewSeconds: -301 });
  });

  test('a key lookup that knows no key for the Client-Id: UNKNOWN_KEY', () => {
    expect(diagnoseRequest({ headers, rawBody: body, path: '/notify', publicKey: () => null, now }).cause).toBe(
      'UNKNOWN_KEY',
    );
  });

  test('otherKeys name the key that verifies; keyName names the one tried', () => {
    const diagnosis = diagnoseRequest({
      headers,
      rawBody: body,
      path: '/notify',
      publicKey: keys.merchantRsaPublic,
      keyName: 'mine',
      otherKeys: [wallet],
      now,
    });
    expect(diagnosis).toMatchObject({
      cause: 'WRONG_KEY',
      keyTried: { name: 'mine' },
      keyThatVerifies: { name: 'wallet-public.pem' },
    });
  });

  test('a response: no replay window (as verifyResponse), Response-Time read', () => {
    const time = '1796114156235';
    const signature = sign({
      method: 'POST',
      path: '/api/open/v2/payments/pay',
      clientId: 'C',
      time,
      body,
      privateKey: keys.walletRsaPrivate,
    });
    const response = { 'client-id': 'C', 'response-time': time, signature };
    const diagnosis = diagnoseResponse({
      headers: response,
      rawBody: body,
      path: '/api/open/v2/payments/pay',
      publicKey: keys.walletRsaPublic,
    });
    expect(diagnosis.cause).toBe('VERIFIED');
    expect(diagnosis.checked).toMatchObject({
      kind: 'response',
      timeHeader: 'Response-Time',
      timeForm: 'epoch-millis',
    });
    expect(
      verify({
        method: 'POST',
        path: '/api/open/v2/payments/pay',
        clientId: 'C',
        time,
        body,
        signature,
        publicKey: keys.walletRsaPublic,
      }),
    ).toBe(true);
  });
});
