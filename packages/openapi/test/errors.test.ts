import {
  KeyFormatError,
  OpenApiError,
  ProtocolError,
  SignatureError,
  TimeoutError,
  TransportError,
} from '@minipay/openapi';

describe('errors', () => {
  it.each([
    [new SignatureError('m', { code: 'INVALID_SIGNATURE' }), 'SignatureError', 'INVALID_SIGNATURE'],
    [new KeyFormatError('m'), 'KeyFormatError', 'INVALID_KEY'],
    [new TransportError('m', { code: 'NETWORK_ERROR' }), 'TransportError', 'NETWORK_ERROR'],
    [new TimeoutError('m'), 'TimeoutError', 'TIMEOUT'],
    [new ProtocolError('m', { code: 'NOT_JSON', httpStatus: 200 }), 'ProtocolError', 'NOT_JSON'],
    [new OpenApiError('m', { code: 'BODY_NOT_RAW' }), 'OpenApiError', 'BODY_NOT_RAW'],
  ])('%s has a literal name, a stable code and is an OpenApiError and an Error', (error, name, code) => {
    expect(error).toBeInstanceOf(OpenApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(String(error)).toBe(`${name}: m`);
  });

  it('keeps the cause', () => {
    const cause = new Error('socket hang up');
    expect(new TransportError('m', { code: 'NETWORK_ERROR', cause }).cause).toBe(cause);
  });

  it('narrows the code per subclass at the type level', () => {
    const error: OpenApiError = new SignatureError('m', { code: 'MISSING_HEADER' });
    if (error instanceof SignatureError) {
      const code:
        'MISSING_HEADER' | 'MALFORMED_HEADER' | 'INVALID_SIGNATURE' | 'REQUEST_TIME_OUTSIDE_WINDOW' | 'KEY_NOT_FOUND' =
        error.code;
      expect(code).toBe('MISSING_HEADER');
    }
    // @ts-expect-error a SignatureError cannot carry a transport code
    new SignatureError('m', { code: 'NETWORK_ERROR' });
  });
});
