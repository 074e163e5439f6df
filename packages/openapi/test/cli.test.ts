// `minipay-openapi verify`, run as a real child process through the committed bin (which loads dist/: `npm test`
// builds before it tests), on good and bad captures: raw request and response text, a curl -v transcript, stdin.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedResponse, signRequest } from '@minipay/openapi';
import { keys } from './helpers';

const bin = join(__dirname, '..', 'bin', 'minipay-openapi.cjs');
const fixtures = join(__dirname, 'fixtures');
const merchantKey = join(fixtures, 'test-merchant-rsa-public.pem');
const walletKey = join(fixtures, 'test-wallet-rsa-public.pem');
const dir = mkdtempSync(join(tmpdir(), 'minipay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAY = '/api/open/v2/payments/pay';
const body = '{"paymentRequestId":"r-1","paymentAmount":{"currency":"USD","value":"1250"}}';

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A request capture: request line, headers, empty line, body (CRLF unless `eol` says otherwise). */
function requestCapture(
  options: { signedPath?: string; sentBody?: string; now?: Date; eol?: string; contentLength?: boolean } = {},
): string {
  const headers = signRequest({
    path: options.signedPath ?? PAY,
    clientId: 'TEST_CLIENT',
    body,
    privateKey: keys.merchantRsaPrivate,
    now: options.now ?? new Date(),
  });
  const sent = options.sentBody ?? body;
  const lines = [
    `POST ${PAY} HTTP/1.1`,
    'Host: 127.0.0.1:8210',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  if (options.contentLength !== false) lines.push(`Content-Length: ${Buffer.byteLength(sent)}`);
  return [...lines, '', sent].join(options.eol ?? '\r\n');
}

const answer = signedResponse({
  body: { result: { resultCode: 'ACCEPT', resultStatus: 'A', resultMessage: 'accepted' }, paymentId: 'p-1' },
  clientId: 'TEST_CLIENT',
  privateKey: keys.walletRsaPrivate,
  path: PAY,
});
const responseHead = [
  'HTTP/1.1 200 OK',
  ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`),
  `content-length: ${answer.body.length}`,
];

describe('minipay-openapi verify', () => {
  test('a good request capture: exit 0, VERIFIED, the content string and the key', () => {
    const { code, out } = run(['verify', file('good.http', requestCapture()), '--key', merchantKey]);
    expect(code).toBe(0);
    expect(out).toMatch(/^VERIFIED: the request signature verifies for POST \/api\/open\/v2\/payments\/pay/);
    expect(out).toContain(`content:      "POST ${PAY}\\nTEST_CLIENT.`);
    expect(out).toContain(`key tried:    ${merchantKey} SHA256:`);
  });

  test.each([
    ['a body changed after signing', 'BODY_CHANGED', { sentBody: body.replace('1250', '1251') }],
    ['a signature over the path without its prefix', 'PATH_PREFIX_MISSING', { signedPath: '/v2/payments/pay' }],
    ['a request 10 minutes old', 'TIME_OUTSIDE_WINDOW', { now: new Date(Date.now() - 600_000) }],
  ])('%s: exit 1 and the cause %s', (_name, cause, options) => {
    const { code, out } = run(['verify', file(`${cause}.http`, requestCapture(options)), '--key', merchantKey]);
    expect(code).toBe(1);
    expect(out).toMatch(/^NOT VERIFIED: /);
    expect(out).toContain(`cause:        ${cause}`);
  });

  test('the wrong key, with --other-key naming the one that verifies', () => {
    const { code, out } = run([
      'verify',
      file('wrong-key.http', requestCapture()),
      '--key',
      walletKey,
      '--other-key',
      merchantKey,
    ]);
    expect(code).toBe(1);
    expect(out).toContain('cause:        WRONG_KEY');
    expect(out).toMatch(new RegExp(`would verify: ${merchantKey.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} SHA256:`));
  });

  test('an old capture: --no-window checks the signature only; --now sets the clock', () => {
    const old = file('old.http', requestCapture({ now: new Date('2026-01-02T03:04:05Z') }));
    expect(run(['verify', old, '--key', merchantKey, '--no-window']).code).toBe(0);
    expect(run(['verify', old, '--key', merchantKey, '--now', '2026-01-02T03:05:00Z']).code).toBe(0);
    expect(run(['verify', old, '--key', merchantKey, '--now', '2026-01-02T03:05:00Z', '--tolerance', '30']).code).toBe(
      1,
    );
  });

  test('from stdin, with LF line ends and no Content-Length: the final line break is not taken as body, and it says so', () => {
    const { code, out } = run(
      ['verify', '-', '--key', merchantKey],
      `${requestCapture({ eol: '\n', contentLength: false })}\n`,
    );
    expect(code).toBe(0);
    expect(out).toContain('note: no Content-Length: the final line break was taken as the end of the capture');
  });

  test("a response capture needs the request's path: --path", () => {
    const capture = file('answer.http', [...responseHead, '', answer.body].join('\r\n'));
    expect(run(['verify', capture, '--key', walletKey, '--path', PAY])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^VERIFIED: the response signature verifies/),
    });
    expect(run(['verify', capture, '--key', walletKey, '--path', '/api/open/v2/payments/refund'])).toMatchObject({
      code: 1,
    });
    expect(run(['verify', capture, '--key', walletKey])).toMatchObject({
      code: 2,
      err: expect.stringContaining('a bare response needs --path'),
    });
  });

  test('a curl -v transcript: the path comes from its request line, the response is verified', () => {
    const transcript = [
      '*   Trying 127.0.0.1:8210...',
      '* Connected to 127.0.0.1 (127.0.0.1) port 8210',
      `> POST ${PAY} HTTP/1.1`,
      '> Host: 127.0.0.1:8210',
      '> User-Agent: curl/8.5.0',
      '> Content-Type: application/json',
      '>',
      ...responseHead.map((line) => `< ${line}`),
      '<',
      `${answer.body}* Connection #0 to host 127.0.0.1 left intact`,
      '',
    ].join('\n');
    const { code, out } = run(['verify', file('curl.txt', transcript), '--key', walletKey]);
    expect(code).toBe(0);
    expect(out).toContain('note: a curl -v transcript: the response is verified');
    const tampered = run(['verify', file('curl-bad.txt', transcript.replace('"p-1"', '"p-2"')), '--key', walletKey]);
    expect(tampered.code).toBe(1);
  });

  test('--json prints the diagnosis as JSON', () => {
    const { code, out } = run([
      'verify',
      file('json.http', requestCapture({ signedPath: '/v2/payments/pay' })),
      '--key',
      merchantKey,
      '--json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({
      verified: false,
      cause: 'PATH_PREFIX_MISSING',
      signedPath: '/v2/payments/pay',
      notes: [],
    });
  });

  test.each([
    ['no --key', ['verify', 'x.http'], /--key <public-key\.pem> is required/],
    [
      'a capture file that does not exist',
      ['verify', join(dir, 'missing.http'), '--key', merchantKey],
      /cannot read the capture ".*missing\.http": no such file/,
    ],
    ['an unknown option', ['verify', '--kye', merchantKey], /Unknown option '--kye'/],
    ['an unknown command', ['sign'], /unknown command "sign"/],
  ])('%s: exit 2 and a message saying so', (_name, args, message) => {
    const { code, err } = run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  test('a key file that holds no key: exit 2 with the key format message, naming the file', () => {
    const keyFile = file('not-a-key.pem', 'this is not a key!');
    const { code, err } = run(['verify', file('any.http', requestCapture()), '--key', keyFile]);
    expect(code).toBe(2);
    expect(err).toContain(`${keyFile} is neither PEM nor a bare Base64 key body`);
  });

  test('text that is no capture: exit 2 naming what a capture starts with', () => {
    const { code, err } = run(['verify', file('junk.txt', 'hello world'), '--key', merchantKey]);
    expect(code).toBe(2);
    expect(err).toContain('the capture does not start with a request line');
  });
});

test('before the package is built, the bin says so and exits 2 (npx minipay-openapi must not fail obscurely)', () => {
  const unbuilt = join(dir, 'unbuilt', 'bin');
  mkdirSync(unbuilt, { recursive: true });
  copyFileSync(bin, join(unbuilt, 'minipay-openapi.cjs'));
  const result = spawnSync(process.execPath, [join(unbuilt, 'minipay-openapi.cjs'), 'verify'], { encoding: 'utf8' });
  expect(result.status).toBe(2);
  expect(result.stderr).toBe(
    'minipay-openapi is not built yet: run `npm run build` at the repository root (or `npm start`, which builds what it needs)\n',
  );
});
