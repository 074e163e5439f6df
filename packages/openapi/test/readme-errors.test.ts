// The README's "Common mistakes" quote error messages; each quote must be what the mistake really produces (a
// quote may stop at "..."). If a message changes and the README does not, this fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenApiClient, OpenApiError, parsePrivateKey, sign, signRequest, verifyNotification } from '@minipay/openapi';
import { keys } from './helpers';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Common mistakes'), readme.indexOf('## Development'));
const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every `SomeError CODE: message` quoted in the section's plain code blocks. */
const quoted = [...section.matchAll(/```\n([\s\S]*?)```/g)].flatMap(([, block]) =>
  normalise(block!)
    .split(/ (?=[A-Z][A-Za-z]*Error [A-Z_]+: )/)
    .map((entry) => entry.trim()),
);

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    const e = error as OpenApiError;
    return normalise(`${e.name} ${e.code}: ${e.message}`);
  }
  throw new Error('expected an error');
}

const path = '/payments/notify';
const body = '{"paymentId":"p-1"}';
const sentAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const client = (change: object) => () =>
  new OpenApiClient({
    baseUrl: 'http://127.0.0.1:1',
    clientId: 'C',
    privateKey: keys.merchantRsaPrivate,
    walletPublicKey: keys.walletRsaPublic,
    ...change,
  });

// What each mistake really produces.
const actual = [
  thrown(() => verifyNotification({ headers: {}, rawBody: JSON.parse(body), publicKey: keys.walletRsaPublic, path })),
  thrown(() => parsePrivateKey(Buffer.from('not a DER key at all').toString('base64'), 'privateKey')),
  thrown(() => parsePrivateKey('./keys/merchant-private.pem', 'privateKey')),
  thrown(client({ walletPublicKey: keys.merchantRsaPrivate })),
  thrown(client({ privateKey: keys.walletRsaPublic })),
  thrown(() =>
    verifyNotification({
      headers: signRequest({ path, clientId: 'C', body, privateKey: keys.walletRsaPrivate, now: sentAt }),
      rawBody: body,
      publicKey: keys.merchantRsaPublic,
      path,
      now: sentAt,
    }),
  ),
  thrown(() =>
    verifyNotification({
      headers: {
        'Client-Id': 'C',
        'Request-Time': '1796114156',
        Signature: sign({
          method: 'POST',
          path,
          clientId: 'C',
          time: '1796114156',
          body,
          privateKey: keys.walletRsaPrivate,
        }),
      },
      rawBody: body,
      publicKey: keys.walletRsaPublic,
      path,
    }),
  ),
  thrown(() =>
    verifyNotification({
      headers: signRequest({ path, clientId: 'C', body, privateKey: keys.walletRsaPrivate, now: sentAt }),
      rawBody: body,
      publicKey: keys.walletRsaPublic,
      path,
      now: new Date(sentAt.getTime() + 412_000),
    }),
  ),
];

describe('README common mistakes', () => {
  it('quotes eight errors', () => {
    expect(quoted).toHaveLength(8);
  });

  it.each(quoted.map((quote) => [quote.slice(0, 60), quote] as const))(
    'quotes what the mistake produces: %s...',
    (_start, quote) => {
      const prefix = quote.replace(/\s*\.\.\.$/, '');
      // Shown on failure: the real messages that start like the quote.
      const alike = actual.filter((message) => message.startsWith(prefix.slice(0, 40)));
      expect(alike.some((message) => message.startsWith(prefix)) ? prefix : alike).toBe(prefix);
    },
  );

  it('would catch a drift: a changed word in a quote no longer matches', () => {
    const drifted = quoted[0]!.replace('pass the raw body', 'pass the body');
    expect(actual.some((message) => message.startsWith(drifted.replace(/\s*\.\.\.$/, '')))).toBe(false);
  });
});
