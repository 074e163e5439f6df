import { ProtocolError, SignatureError, signRequest, verifyNotification } from '@minipay/openapi';
import { caught, keys } from './helpers';

const path = '/payments/notify';
const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const notification = {
  paymentId: 'p-1',
  paymentRequestId: 'r-1',
  paymentResult: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
  paymentAmount: { currency: 'USD', value: '10000' },
  paymentTime: '2026-01-02T03:04:00.000+00:00',
};

function wallet(body: string, at = now) {
  return {
    headers: signRequest({ path, clientId: 'TEST_CLIENT', body, privateKey: keys.walletRsaPrivate, now: at }),
    rawBody: body,
  };
}

describe('verifyNotification', () => {
  it('returns the typed notifyPayment body', () => {
    const result = verifyNotification({
      ...wallet(JSON.stringify(notification)),
      publicKey: keys.walletRsaPublic,
      path,
      now,
    });
    expect(result).toEqual(notification);
    expect(result.paymentResult.resultStatus).toBe('S');
  });

  it('throws INVALID_SIGNATURE when verified with the merchant key instead of the wallet key', () => {
    const error = caught(() =>
      verifyNotification({ ...wallet(JSON.stringify(notification)), publicKey: keys.merchantRsaPublic, path, now }),
    );
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe('INVALID_SIGNATURE');
  });

  it('throws KeyFormatError when handed the merchant private key', () => {
    const error = caught(() =>
      verifyNotification({ ...wallet(JSON.stringify(notification)), publicKey: keys.merchantRsaPrivate, path, now }),
    );
    expect(error.name).toBe('KeyFormatError');
    expect(error.message).toMatch(/looks like a private key, but a public key was expected/);
  });

  it('throws MISSING_HEADER without a Signature', () => {
    const { headers, rawBody } = wallet(JSON.stringify(notification));
    const { Signature: _dropped, ...rest } = headers;
    expect(
      caught(() => verifyNotification({ headers: rest, rawBody, publicKey: keys.walletRsaPublic, path, now })).code,
    ).toBe('MISSING_HEADER');
  });

  it('throws REQUEST_TIME_OUTSIDE_WINDOW for a replay ten minutes later', () => {
    const replay = wallet(JSON.stringify(notification));
    const error = caught(() =>
      verifyNotification({
        ...replay,
        publicKey: keys.walletRsaPublic,
        path,
        now: () => new Date(now.getTime() + 600_000),
      }),
    );
    expect(error.code).toBe('REQUEST_TIME_OUTSIDE_WINDOW');
  });

  it('refuses the parsed body with BODY_NOT_RAW', () => {
    const { headers } = wallet(JSON.stringify(notification));
    const error = caught(() =>
      verifyNotification({
        headers,
        rawBody: notification as unknown as string,
        publicKey: keys.walletRsaPublic,
        path,
        now,
      }),
    );
    expect(error.code).toBe('BODY_NOT_RAW');
  });

  it.each([
    ['paymentId', { paymentId: undefined }],
    ['paymentRequestId', { paymentRequestId: 7 }],
    ['paymentResult', { paymentResult: undefined }],
    ['paymentResult.resultStatus', { paymentResult: { resultCode: 'SUCCESS', resultStatus: 'X' } }],
    ['paymentResult.resultCode', { paymentResult: { resultStatus: 'S' } }],
    ['paymentAmount', { paymentAmount: '100.00' }],
    ['paymentAmount.value', { paymentAmount: { currency: 'USD', value: '100.00' } }],
    ['paymentAmount.value', { paymentAmount: { currency: 'USD', value: 10000 } }],
    ['paymentAmount.currency', { paymentAmount: { currency: 'usd', value: '10000' } }],
  ])('throws ProtocolError MALFORMED_BODY naming %s', (field, change) => {
    const body = JSON.stringify({ ...notification, ...change });
    const error = caught(() => verifyNotification({ ...wallet(body), publicKey: keys.walletRsaPublic, path, now }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('MALFORMED_BODY');
    expect(error.message).toContain(`"${field}"`);
  });

  it('throws MALFORMED_BODY for a JSON array body', () => {
    expect(caught(() => verifyNotification({ ...wallet('[]'), publicKey: keys.walletRsaPublic, path, now })).code).toBe(
      'MALFORMED_BODY',
    );
  });
});
