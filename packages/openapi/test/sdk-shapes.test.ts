// verifyRequest and the doctor over requests exactly as the official SDKs build them (@minipay/testing's fixtures,
// signed by the openssl CLI): every shape verifies as it is, and each tampered copy is refused and diagnosed.
import { readFileSync } from 'node:fs';
import { diagnoseRequest, requestPath, verifyRequest } from '@minipay/openapi';
import { sdkRequest, sdkTestKeys, SDK_NAMES } from '@minipay/testing';

const keys = sdkTestKeys();
const publicKey = readFileSync(keys.merchantPublic, 'utf8');
const origin = 'http://127.0.0.1:8210';
const path = '/api/open/v2/payments/pay';
const body = {
  paymentRequestId: 'r-1',
  paymentAmount: { currency: 'USD', value: '1250' },
  order: { orderDescription: 'Café & crème <b>' },
};

/** The request target, headers (node:http style: lowercase names, first Content-Type wins) and body of a message. */
function received(message: string) {
  const [head = '', rawBody = ''] = message.split('\r\n\r\n');
  const [requestLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const name = line.slice(0, line.indexOf(':')).toLowerCase();
    headers[name] ??= line.slice(line.indexOf(':') + 1).trim();
  }
  return { target: requestLine.split(' ')[1] as string, headers, rawBody };
}

describe.each(SDK_NAMES)("the %s SDK's request", (sdk) => {
  const request = sdkRequest(sdk, {
    origin,
    path,
    clientId: 'TEST_CLIENT',
    body,
    privateKeyFile: keys.merchantPrivate,
  });

  test('verifies as it travelled (over requestPath of its target)', () => {
    const { target, headers, rawBody } = received(request.message);
    expect(verifyRequest({ headers, rawBody, publicKey, path: requestPath(target) })).toMatchObject({
      clientId: 'TEST_CLIENT',
      time: request.time,
      body,
    });
  });

  test('is refused once its body changed after signing, and the doctor says the body changed', () => {
    const { target, headers, rawBody } = received(request.tampered);
    const options = { headers, rawBody, publicKey, path: requestPath(target) };
    expect(() => verifyRequest(options)).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }));
    expect(diagnoseRequest(options).cause).toBe('BODY_CHANGED');
  });
});
