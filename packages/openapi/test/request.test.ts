import { OpenApiError, SignatureError, ProtocolError, sign, signRequest, verifyRequest } from '@minipay/openapi';
import { caught, keys } from './helpers';

const path = '/api/open/v2/payments/pay';
const body = '{"paymentRequestId":"r-1"}';
const sentAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));

function signed(overrides: Partial<Parameters<typeof signRequest>[0]> = {}) {
  return signRequest({
    path,
    clientId: 'TEST_CLIENT',
    body,
    privateKey: keys.merchantRsaPrivate,
    now: sentAt,
    ...overrides,
  });
}

describe('signRequest', () => {
  it('gives Content-Type, Client-Id, Request-Time and Signature', () => {
    const headers = signed();
    expect(headers).toEqual({
      'Content-Type': 'application/json; charset=UTF-8',
      'Client-Id': 'TEST_CLIENT',
      'Request-Time': '2026-01-02T03:04:05.678+00:00',
      Signature: expect.stringMatching(/^algorithm=RSA256, keyVersion=1, signature=/),
    });
  });

  it('takes the clock as a function too', () => {
    expect(signed({ now: () => sentAt })['Request-Time']).toBe('2026-01-02T03:04:05.678+00:00');
  });

  it('refuses an object body', () => {
    expect(() => signed({ body: { paymentRequestId: 'r-1' } as unknown as string })).toThrow(
      'pass the raw body string',
    );
  });
});

describe('verifyRequest', () => {
  const verifyAt = (headers: Record<string, string>, extra: Partial<Parameters<typeof verifyRequest>[0]> = {}) =>
    verifyRequest({ headers, rawBody: body, publicKey: keys.merchantRsaPublic, path, now: sentAt, ...extra });

  it('returns the client id, the time and the parsed body', () => {
    expect(verifyAt(signed())).toEqual({
      clientId: 'TEST_CLIENT',
      time: '2026-01-02T03:04:05.678+00:00',
      body: { paymentRequestId: 'r-1' },
    });
  });

  it('reads header names case-insensitively, from node:http style records and from fetch Headers', () => {
    const lower = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyAt(lower).clientId).toBe('TEST_CLIENT');
    const upper = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(verifyAt(upper as unknown as Record<string, string>).clientId).toBe('TEST_CLIENT');
    expect(
      verifyRequest({
        headers: new Headers(signed()),
        rawBody: body,
        publicKey: keys.merchantRsaPublic,
        path,
        now: sentAt,
      }).clientId,
    ).toBe('TEST_CLIENT');
  });

  it('accepts the raw body as a Buffer', () => {
    expect(verifyAt(signed(), { rawBody: Buffer.from(body) }).body).toEqual({ paymentRequestId: 'r-1' });
  });

  it.each(['Client-Id', 'Request-Time', 'Signature'])('throws SignatureError MISSING_HEADER naming %s', (name) => {
    const headers: Record<string, string> = { ...signed() };
    delete headers[name];
    const error = caught(() => verifyAt(headers));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('MISSING_HEADER');
    expect(error.message).toBe(`the ${name} header is missing`);
  });

  it.each([
    ['Signature', 'RSA256 abc'],
    ['Signature', 'algorithm=DSA, signature=abc'],
    ['Request-Time', '2026-01-02 03:04:05'],
  ])('throws SignatureError MALFORMED_HEADER for %s: %s', (name, value) => {
    const error = caught(() => verifyAt({ ...signed(), [name]: value }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('MALFORMED_HEADER');
  });

  it('throws MALFORMED_HEADER for two Signature headers as node:http joins them, even if one is valid', () => {
    const headers = signed();
    expect(verifyAt(headers).clientId).toBe('TEST_CLIENT');
    const error = caught(() => verifyAt({ ...headers, Signature: `${headers.Signature}, ${headers.Signature}` }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('MALFORMED_HEADER');
  });

  it.each([
    ['another body', { rawBody: '{"paymentRequestId":"r-2"}' }],
    ['another path', { path: '/v2/payments/pay' }],
    ['another method', { method: 'PUT' }],
    ['another key', { publicKey: keys.walletRsaPublic }],
  ])('throws SignatureError INVALID_SIGNATURE for %s', (_name, extra) => {
    const error = caught(() => verifyAt(signed(), extra));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('INVALID_SIGNATURE');
  });

  it.each([
    ['301 s in the past', 301_000, /301 s in the past/],
    ['301 s in the future', -301_000, /301 s in the future/],
  ])('throws REQUEST_TIME_OUTSIDE_WINDOW when Request-Time is %s', (_name, offset, reason) => {
    const error = caught(() => verifyAt(signed(), { now: new Date(sentAt.getTime() + offset) }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('REQUEST_TIME_OUTSIDE_WINDOW');
    expect(error.message).toMatch(reason);
  });

  // The window is the same whatever form the time takes: each is read to its instant first.
  describe.each([
    ['epoch milliseconds', String(sentAt.getTime())],
    ['ISO 8601 to the second with +0000', '2026-01-02T03:04:05+0000'],
    ['ISO 8601 in another zone with 7 fraction digits', '2026-01-02T11:04:05.6780000+08:00'],
  ])('a Request-Time in %s (%s)', (_name, time) => {
    const headers = {
      'client-id': 'TEST_CLIENT',
      'request-time': time,
      signature: sign({
        method: 'POST',
        path,
        clientId: 'TEST_CLIENT',
        time,
        body,
        privateKey: keys.merchantRsaPrivate,
      }),
    };

    it('is accepted inside the window, and returned exactly as sent', () => {
      expect(verifyAt(headers, { now: new Date(sentAt.getTime() + 299_000) }).time).toBe(time);
    });

    it.each([
      ['past', 301_000],
      ['future', -301_000],
    ])('is refused 301 s in the %s: REQUEST_TIME_OUTSIDE_WINDOW', (_when, offset) => {
      expect(caught(() => verifyAt(headers, { now: new Date(sentAt.getTime() + offset) })).code).toBe(
        'REQUEST_TIME_OUTSIDE_WINDOW',
      );
    });
  });

  it('never says a request just outside the window is at its edge: 300.4 s late reads 301 s', () => {
    const error = caught(() => verifyAt(signed(), { now: new Date(sentAt.getTime() + 300_400) }));
    expect(error.code).toBe('REQUEST_TIME_OUTSIDE_WINDOW');
    expect(error.message).toMatch(/^Request-Time is 301 s in the past, outside the 300 s window/);
  });

  it('accepts a Request-Time at the edge of the window and honours toleranceSeconds', () => {
    expect(verifyAt(signed(), { now: new Date(sentAt.getTime() + 300_000) }).clientId).toBe('TEST_CLIENT');
    expect(
      caught(() => verifyAt(signed(), { now: new Date(sentAt.getTime() + 11_000), toleranceSeconds: 10 })).code,
    ).toBe('REQUEST_TIME_OUTSIDE_WINDOW');
  });

  it.each([[-1], [Number.NaN]])('refuses toleranceSeconds %p', (toleranceSeconds) => {
    expect(caught(() => verifyAt(signed(), { toleranceSeconds })).code).toBe('INVALID_ARGUMENT');
  });

  it('looks the public key up by Client-Id, and says KEY_NOT_FOUND for an unknown client', () => {
    const lookup = (clientId: string) => (clientId === 'TEST_CLIENT' ? keys.merchantRsaPublic : undefined);
    expect(verifyAt(signed(), { publicKey: lookup }).clientId).toBe('TEST_CLIENT');
    const error = caught(() => verifyAt(signed({ clientId: 'STRANGER' }), { publicKey: lookup }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('KEY_NOT_FOUND');
  });

  it.each<[string, (clientId: string) => unknown]>([
    ['undefined', () => undefined],
    ['null (as a database lookup gives it)', () => null],
  ])('says KEY_NOT_FOUND when the key lookup answers %s', (_name, lookup) => {
    const error = caught(() => verifyAt(signed(), { publicKey: lookup as (clientId: string) => string }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(error.message).toBe('no public key is known for Client-Id "TEST_CLIENT"');
  });

  it.each<[string, unknown]>([
    ['an invalid Date', new Date(Number.NaN)],
    ['a clock answering an invalid Date', () => new Date('not a date')],
    ['a clock answering a number (Date.now)', Date.now],
  ])('refuses %s as now instead of skipping the replay window', (_name, now) => {
    const error = caught(() => verifyAt(signed(), { now: now as Date }));
    expect(error).toBeInstanceOf(OpenApiError);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^now must be a valid Date or a function returning one/);
  });

  it('throws ProtocolError NOT_JSON for a signed body that is not JSON', () => {
    const error = caught(() => verifyAt(signed({ body: 'a=1&b=2' }), { rawBody: 'a=1&b=2' }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('NOT_JSON');
  });

  it.each<[string, unknown]>([
    ['missing', undefined],
    ['a full URL', 'https://wallet.example/api/open/v2/payments/pay'],
    ['relative', 'api/open/v2/payments/pay'],
  ])('refuses a path that is %s with INVALID_ARGUMENT, not a misleading INVALID_SIGNATURE', (_name, badPath) => {
    const error = caught(() => verifyAt(signed(), { path: badPath as string }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^path must be the path as sent, starting with "\/"/);
  });

  it.each([[undefined], [null], ['Client-Id: TEST_CLIENT']])(
    'refuses headers %p with INVALID_ARGUMENT naming the option',
    (headers) => {
      const error = caught(() => verifyAt(headers as unknown as Record<string, string>));
      expect(error).toBeInstanceOf(OpenApiError);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(/^headers must be the message's headers/);
    },
  );

  it('refuses a parsed body with BODY_NOT_RAW', () => {
    const error = caught(() => verifyAt(signed(), { rawBody: JSON.parse(body) }));
    expect(error.code).toBe('BODY_NOT_RAW');
    expect(error.message).toContain('pass the raw body string that travelled, not the parsed JSON');
  });
});
