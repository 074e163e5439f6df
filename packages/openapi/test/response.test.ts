import {
  ACCEPTED_TIME_FORMS,
  OpenApiError,
  ProtocolError,
  SignatureError,
  sign,
  signedResponse,
  verifyResponse,
} from '@minipay/openapi';
import { caught, keys } from './helpers';

const path = '/api/open/v2/payments/notifyPayment';
const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));

describe('signedResponse', () => {
  it('acknowledges with the exact success body by default', () => {
    const response = signedResponse({ clientId: 'TEST_CLIENT', privateKey: keys.merchantRsaPrivate, path, now });
    expect(response.body).toBe('{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}');
    // Lowercase names, as the platform sends them (the Python and PHP SDKs look them up case-sensitively).
    expect(response.headers).toEqual({
      'content-type': 'application/json; charset=UTF-8',
      'client-id': 'TEST_CLIENT',
      'response-time': '2026-01-02T03:04:05.678+00:00',
      signature: expect.stringMatching(/^algorithm=RSA256, keyVersion=1, signature=/),
    });
  });

  it('writes a failure result in wire order', () => {
    const response = signedResponse({
      result: { resultStatus: 'F', resultMessage: 'unknown order', resultCode: 'PROCESS_FAIL' },
      clientId: 'TEST_CLIENT',
      privateKey: keys.merchantRsaPrivate,
      path,
    });
    expect(response.body).toBe(
      '{"result":{"resultCode":"PROCESS_FAIL","resultStatus":"F","resultMessage":"unknown order"}}',
    );
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a null result (which must not become SUCCESS)',
      { result: null },
      /^result must be \{ resultCode, resultStatus, resultMessage\? \}/,
    ],
    ['a result without resultCode', { result: { resultStatus: 'S' } }, /^result must be/],
    [
      'a result with an unknown resultStatus',
      { result: { resultCode: 'SUCCESS', resultStatus: 'OK' } },
      /^result must be/,
    ],
    ['a result that is a string', { result: 'SUCCESS' }, /^result must be/],
    [
      'both result and body',
      { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, body: { result: {} } },
      /^pass result or body, not both/,
    ],
    ['a body that is neither an object nor a string', { body: 42 }, /^body must be an object or a JSON string/],
  ])('refuses %s with INVALID_ARGUMENT', (_name, change, message) => {
    const error = caught(() =>
      signedResponse({ clientId: 'TEST_CLIENT', privateKey: keys.merchantRsaPrivate, path, ...change } as never),
    );
    expect(error).toBeInstanceOf(OpenApiError);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });

  it('serialises a whole body object, and the signature covers exactly that string', () => {
    const response = signedResponse({
      body: { result: { resultCode: 'SUCCESS', resultStatus: 'S' }, paymentId: 'p-1' },
      clientId: 'TEST_CLIENT',
      privateKey: keys.walletRsaPrivate,
      path,
    });
    expect(
      verifyResponse({ headers: response.headers, rawBody: response.body, path, publicKey: keys.walletRsaPublic }),
    ).toEqual({
      result: { resultCode: 'SUCCESS', resultStatus: 'S' },
      paymentId: 'p-1',
    });
  });
});

describe('verifyResponse', () => {
  const response = signedResponse({ clientId: 'TEST_CLIENT', privateKey: keys.walletRsaPrivate, path, now });
  const check = (extra: Partial<Parameters<typeof verifyResponse>[0]> = {}) =>
    verifyResponse({
      headers: response.headers,
      rawBody: response.body,
      path,
      publicKey: keys.walletRsaPublic,
      ...extra,
    });

  it('returns the parsed body of a well-signed response', () => {
    expect(check({ clientId: 'TEST_CLIENT' })).toEqual({
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
    });
  });

  it.each(['Client-Id', 'Response-Time', 'Signature'])('refuses an answer without %s (MISSING_HEADER)', (name) => {
    const headers: Record<string, string> = { ...response.headers };
    delete headers[name.toLowerCase()];
    const error = caught(() => check({ headers }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('MISSING_HEADER');
  });

  it('refuses a tampered body, a response signed for another path, and another client id', () => {
    expect(caught(() => check({ rawBody: response.body.replace('"S"', '"F"') })).code).toBe('INVALID_SIGNATURE');
    expect(caught(() => check({ path: '/api/open/v2/payments/pay' })).code).toBe('INVALID_SIGNATURE');
    expect(caught(() => check({ clientId: 'SOMEONE_ELSE' })).code).toBe('INVALID_SIGNATURE');
  });

  it.each([
    ['yesterday', 'not a time'],
    ['2026-01-02 03:04:05', 'a space for "T"'],
    ['2026-01-02T03:04:05', 'no offset'],
    ['1796114156', 'epoch seconds? send milliseconds'],
  ])(
    'refuses a signed Response-Time %j that is not an accepted form (MALFORMED_HEADER: %s, and the accepted forms)',
    (time, hint) => {
      const signature = sign({
        method: 'POST',
        path,
        clientId: 'TEST_CLIENT',
        time,
        body: response.body,
        privateKey: keys.walletRsaPrivate,
      });
      const headers = { ...response.headers, 'Response-Time': time, Signature: signature };
      const error = caught(() => check({ headers }));
      expect(error).toBeInstanceOf(SignatureError);
      expect(error.code).toBe('MALFORMED_HEADER');
      expect(error.message).toBe(
        `the Response-Time header ${JSON.stringify(time)} is not an accepted time (${hint}); accepted: ${ACCEPTED_TIME_FORMS}`,
      );
      expect(error.message.length).toBeLessThanOrEqual(256);
    },
  );

  it.each([
    ['epoch milliseconds (Java, Go)', '1796114156235'],
    ['ISO 8601 to the second with +00:00 (Python)', '2026-12-01T08:26:32+00:00'],
    ['ISO 8601 with +0000 (PHP DATE_ISO8601)', '2026-12-01T08:26:32+0000'],
    ['ISO 8601 with 7 fraction digits and Z (.NET "o")', '2026-12-01T08:26:32.1234567Z'],
  ])('accepts a Response-Time in %s', (_name, time) => {
    const signature = sign({
      method: 'POST',
      path,
      clientId: 'TEST_CLIENT',
      time,
      body: response.body,
      privateKey: keys.walletRsaPrivate,
    });
    expect(check({ headers: { ...response.headers, 'Response-Time': time, Signature: signature } })).toEqual(
      JSON.parse(response.body),
    );
  });

  it('refuses a full URL as path with INVALID_ARGUMENT', () => {
    expect(caught(() => check({ path: `https://merchant.example${path}` })).code).toBe('INVALID_ARGUMENT');
  });

  it('says NOT_JSON for an HTML page, before complaining about its missing signature', () => {
    const error = caught(() =>
      check({ headers: {}, rawBody: '<!DOCTYPE html><html><body>Bad gateway</body></html>', httpStatus: 200 }),
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('NOT_JSON');
    expect(error.message).toMatch(/HTTP 200.*HTML/);
    expect((error as ProtocolError).httpStatus).toBe(200);
  });
});
