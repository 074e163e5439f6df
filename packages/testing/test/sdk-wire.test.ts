// The conformance fixtures themselves: each SDK's request has the shape its source gives it, and each SDK's way of
// reading an answer accepts a good one and refuses (or, where the SDK does, leaves unverified) a bad one. The
// servers' conformance suites build on these, so these must be able to fail.
import {
  opensslSign,
  opensslVerify,
  parseResponse,
  readAnswerAs,
  sdkRequest,
  sdkTestKeys,
  SDK_NAMES,
  type RawResponse,
  type SdkName,
} from '../src';

const keys = sdkTestKeys();
const origin = 'http://127.0.0.1:8210';
const path = '/api/open/v2/payments/pay';
const now = new Date('2026-12-01T08:26:32.253Z');
const body = {
  paymentRequestId: 'r-1',
  paymentAmount: { currency: 'USD', value: '1250' },
  order: { orderDescription: 'Café & crème <b>', merchant: { website: 'https://shop.example/a' } },
};
const requests = Object.fromEntries(
  SDK_NAMES.map((sdk) => [
    sdk,
    sdkRequest(sdk, { origin, path, clientId: 'TEST_CLIENT', body, privateKeyFile: keys.merchantPrivate, now }),
  ]),
) as Record<SdkName, ReturnType<typeof sdkRequest>>;

/** The header lines of a message, as [name, value] with names in their case. */
const headerLines = (message: string) =>
  message
    .split('\r\n\r\n')[0]!
    .split('\r\n')
    .slice(1)
    .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]);

describe("requests in each SDK's shape", () => {
  test.each([
    ['java', `POST ${path} HTTP/1.1`, '1796113592253'],
    ['python', `POST ${origin}${path} HTTP/1.1`, '2026-12-01T08:26:32+00:00'],
    ['php', `POST ${path} HTTP/1.1`, '2026-12-01T08:26:32+0000'],
    ['dotnet', `POST ${path} HTTP/1.1`, '2026-12-01T08:26:32.2530000Z'],
    ['go', `POST ${path} HTTP/1.1`, '1796113592253'],
  ] as const)('%s: request line %s, Request-Time %s', (sdk, requestLine, time) => {
    expect(requests[sdk].requestLine).toBe(requestLine);
    expect(requests[sdk].time).toBe(time);
    expect(requests[sdk].message.startsWith(`${requestLine}\r\n`)).toBe(true);
  });

  test.each([
    ['java', ['Request-Time', 'client-id', 'Signature']],
    ['python', ['Request-Time', 'client-id', 'Signature']],
    ['php', ['Request-Time', 'client-id', 'Signature']],
    ['dotnet', ['request-time', 'client-id', 'signature']],
    ['go', ['Request-Time', 'Client-Id', 'Signature']],
  ] as const)('%s: the signing headers are named %j', (sdk, names) => {
    const sent = headerLines(requests[sdk].message).map(([name]) => name);
    for (const name of names) expect(sent).toContain(name);
  });

  test('php writes "Name:value" without a space; go writes two Content-Type lines and an empty Agent-Token', () => {
    expect(requests.php.message).toContain(`\r\nclient-id:TEST_CLIENT\r\n`);
    expect(headerLines(requests.go.message).filter(([name]) => name === 'Content-Type')).toHaveLength(2);
    expect(requests.go.message).toContain('\r\nAgent-Token: \r\n');
  });

  test.each([
    [
      'java',
      /^\{"order":\{"merchant":\{"website":"https:\/\/shop\.example\/a"\},"orderDescription":"Café & crème <b>"\},"paymentAmount"/,
    ],
    [
      'python',
      /^\{\n {3}"paymentRequestId": "r-1",\n {3}"paymentAmount": \{\n {6}"currency": "USD",[\s\S]*"Caf\\u00e9 & cr\\u00e8me <b>"/,
    ],
    ['php', /"Caf\\u00e9 & cr\\u00e8me <b>".*"https:\\\/\\\/shop\.example\\\/a"/],
    ['dotnet', /"Caf\\u00E9 \\u0026 cr\\u00E8me \\u003Cb\\u003E".*,"extendInfo":null\}$/],
    ['go', /"Café \\u0026 crème \\u003cb\\u003e"/],
  ] as const)('%s lays the body out as its serializer does', (sdk, layout) => {
    expect(requests[sdk].body).toMatch(layout);
    expect(JSON.parse(requests[sdk].body)).toMatchObject(body);
  });

  test.each(SDK_NAMES)("%s: the signature is openssl's over the signed content, URL-encoded the SDK's way", (sdk) => {
    const request = requests[sdk];
    expect(request.signedContent).toBe(`POST ${path}\nTEST_CLIENT.${request.time}.${request.body}`);
    const value = request.signature.split('signature=')[1]!;
    expect(request.signature).toMatch(/^algorithm=RSA256,keyVersion=1,signature=/);
    expect(value).toMatch(sdk === 'dotnet' ? /^[A-Za-z0-9%a-f]+$/ : /^[A-Za-z0-9%]+$/);
    if (sdk === 'dotnet') expect(value).not.toMatch(/%[0-9A-F][A-F]|%[A-F][0-9]/);
    expect(value).toMatch(/%3[dD]%3[dD]$/);
    expect(
      opensslVerify(request.signedContent, Buffer.from(decodeURIComponent(value), 'base64'), keys.merchantPublic),
    ).toBe(true);
  });

  test.each(SDK_NAMES)('%s: the tampered message differs in one body byte and keeps its Content-Length', (sdk) => {
    const { message, tampered } = requests[sdk];
    expect(tampered.length).toBe(message.length);
    expect([...tampered].filter((c, i) => c !== message[i])).toHaveLength(1);
    expect(tampered.split('\r\n\r\n')[0]).toBe(message.split('\r\n\r\n')[0]);
  });
});

describe('answers read as each SDK reads them', () => {
  const answerBody =
    '{"result":{"resultStatus":"A","resultCode":"ACCEPT","resultMessage":"accepted"},"paymentId":"p-1"}';
  const time = '2026-12-01T08:26:33.000+00:00';
  const signedOver = (signedPath: string, text = answerBody) =>
    opensslSign(`POST ${signedPath}\nTEST_CLIENT.${time}.${text}`, keys.walletPrivate).toString('base64');

  function answer(
    options: { names?: [string, string, string]; value?: string; status?: number; text?: string } = {},
  ): RawResponse {
    const [clientIdName, timeName, signatureName] = options.names ?? ['client-id', 'response-time', 'signature'];
    const value = options.value ?? encodeURIComponent(signedOver(path));
    const text = options.text ?? answerBody;
    const head = [
      `HTTP/1.1 ${options.status ?? 200} OK`,
      'content-type: application/json; charset=UTF-8',
      `${clientIdName}: TEST_CLIENT`,
      `${timeName}: ${time}`,
      `${signatureName}: algorithm=RSA256, keyVersion=1, signature=${value}`,
      `content-length: ${Buffer.byteLength(text)}`,
    ].join('\r\n');
    return parseResponse(Buffer.from(`${head}\r\n\r\n${text}`)) as RawResponse;
  }
  const request = { method: 'POST', signedPath: path, clientId: 'TEST_CLIENT' };
  const read = (sdk: SdkName, response: RawResponse, extra = {}) =>
    readAnswerAs(sdk, response, { ...request, ...extra }, keys.walletPublic).outcome;

  test.each(SDK_NAMES)('%s verifies a signed answer with lowercase header names', (sdk) => {
    expect(read(sdk, answer())).toBe('verified');
  });

  test.each(SDK_NAMES)('%s refuses the same answer with its body changed', (sdk) => {
    expect(read(sdk, answer({ text: answerBody.replace('p-1', 'p-2') }))).toBe('refused');
  });

  test.each([
    ['java', 'verified'],
    ['python', 'refused'],
    ['php', 'unverified'],
    ['dotnet', 'verified'],
    ['go', 'verified'],
  ] as const)('with Client-Id, Response-Time and Signature capitalised, %s: %s', (sdk, outcome) => {
    expect(read(sdk, answer({ names: ['Client-Id', 'Response-Time', 'Signature'] }))).toBe(outcome);
  });

  test.each([
    ['java', 'unverified'],
    ['python', 'refused'],
    ['php', 'unverified'],
    ['dotnet', 'refused'],
    ['go', 'refused'],
  ] as const)('with the signature not URL-encoded, %s: %s', (sdk, outcome) => {
    const plain = signedOver(path);
    expect(plain).toMatch(/[+/=]/);
    expect(read(sdk, answer({ value: plain }))).toBe(outcome);
  });

  test.each([
    ['java', 'refused'],
    ['python', 'refused'],
    ['php', 'refused'],
    ['dotnet', 'refused'],
    ['go', 'verified'],
  ] as const)('with HTTP 401, %s: %s (Go checks no status)', (sdk, outcome) => {
    expect(read(sdk, answer({ status: 401 }))).toBe(outcome);
  });

  test("Go verifies over the URL's full path; the others over the path they signed", () => {
    const full = answer({ value: encodeURIComponent(signedOver('/api/open/v2/payments/pay')) });
    const gateway = { signedPath: '/v2/payments/pay', urlPath: '/api/open/v2/payments/pay' };
    expect(read('go', full, gateway)).toBe('verified');
    expect(read('java', full, gateway)).toBe('refused');
  });
});
