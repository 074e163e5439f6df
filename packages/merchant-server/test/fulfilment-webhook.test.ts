// The fulfilment webhook: a real receiver on 127.0.0.1 gets each event as signed JSON, again with the same id until it
// answers 2xx; a receiver that never answers ends each attempt at the timeout; `verifyFulfilmentSignature` refuses a
// wrong secret, a changed body and an old time; and its settings are checked, naming the variable, never the secret.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Order as OrderJson } from '@minipay/contract';
import { loadConfig, MerchantServerError, verifyFulfilmentSignature, type FulfilmentEvent } from '../src';
import { signFulfilmentBody } from '../src/fulfilment-signature';
import { resolveConfig } from '../src/internal/resolve-config';
import { eventually, paidOrder, readDatabase, signIn, startStack, type Stack } from './helpers';

const SECRET = 'test-fulfilment-secret-0123456789abcdef';

interface Received {
  body: string;
  signature: string | undefined;
  eventId: string | undefined;
  contentType: string | undefined;
}

/** A receiver that answers the statuses of `answers` in turn (the last one after that), recording each request. */
async function receiver(answers: number[]): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: request.headers['minipay-signature'] as string | undefined,
        eventId: request.headers['minipay-event-id'] as string | undefined,
        contentType: request.headers['content-type'],
      });
      const status = answers[Math.min(received.length, answers.length) - 1] as number;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'down');
    });
  });
  return listening(server, { received });
}

async function listening<T>(server: Server, extra: T): Promise<{ url: string; close(): Promise<void> } & T> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(extra as object, {
    url: `http://127.0.0.1:${port}/hooks/minipay?token=not-logged`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as { url: string; close(): Promise<void> } & T;
}

describe('the webhook, against a real receiver', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ noMerchant: true });
  });
  afterAll(() => stack.close());

  test('a receiver that fails twice then answers 200 gets the event 3 times, with the same id and a valid signature', async () => {
    const hook = await receiver([500, 503, 200]);
    try {
      const merchant = await stack.startMerchant({ fulfilmentUrl: hook.url, fulfilmentSecret: SECRET });
      try {
        const { token } = await signIn(stack, undefined, merchant);
        const { order } = await paidOrder(stack, token, merchant);
        await eventually(() => (hook.received.length >= 3 ? true : undefined), 'three deliveries', 20_000);
        const events = hook.received.map((request) => JSON.parse(request.body) as FulfilmentEvent);
        expect(new Set(events.map((event) => event.id)).size).toBe(1);
        expect(events.map((event) => event.attempt)).toEqual([1, 2, 3]);
        expect(events[0]).toMatchObject({ type: 'order.paid', id: expect.stringMatching(/^evt_\d+$/) });
        expect(events[0]?.order).toMatchObject({ id: order.id, status: 'PAID', amount: order.amount });
        for (const request of hook.received) {
          expect(request.contentType).toBe('application/json');
          expect(request.eventId).toBe(events[0]?.id);
          expect(request.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
          expect(verifyFulfilmentSignature(request.body, request.signature, SECRET)).toEqual({
            valid: true,
            timestamp: expect.any(Number),
          });
          // The wrong secret does not verify the very same request.
          expect(verifyFulfilmentSignature(request.body, request.signature, `${SECRET}x`)).toMatchObject({
            valid: false,
          });
        }
        const row = await eventually(() => {
          const found = readDatabase(stack, (db) =>
            db.prepare('SELECT delivered_at, attempts, last_error FROM outbox WHERE order_id = ?').get(order.id),
          ) as { delivered_at: number | null; attempts: number; last_error: string | null };
          return found.delivered_at === null ? undefined : found;
        }, 'the event marked delivered');
        expect(row.attempts).toBe(3);
        // Nothing after the 2xx: it was delivered once.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        expect(hook.received).toHaveLength(3);
      } finally {
        await merchant.close();
      }
    } finally {
      await hook.close();
    }
  }, 30_000);

  test('a receiver that never answers: each attempt ends at the timeout, and the event stays for a restart to post', async () => {
    // One entry per attempt: a request that arrived, and when its socket was closed. Counted by request, not by
    // connection: the fetch of Node 24 (undici 7) may open a spare connection right after an abort and close it
    // unused.
    const attempts: Array<{ receivedAt: number; closedAt?: number }> = [];
    const server = createServer((request) => {
      // A black hole: the request is read and never answered.
      const entry: { receivedAt: number; closedAt?: number } = { receivedAt: Date.now() };
      attempts.push(entry);
      request.socket.on('close', () => (entry.closedAt = Date.now()));
    });
    const hole = await listening(server, {});
    let order: OrderJson;
    try {
      const merchant = await stack.startMerchant({
        fulfilmentUrl: hole.url,
        fulfilmentSecret: SECRET,
        fulfilmentTimeoutMs: 400,
      });
      try {
        const { token } = await signIn(stack, undefined, merchant);
        ({ order } = await paidOrder(stack, token, merchant));
        // Two attempts: 400 ms, the 1 s backoff, 400 ms.
        const ended = await eventually(
          () => (attempts.filter((each) => each.closedAt !== undefined).length >= 2 ? attempts : undefined),
          'two attempts abandoned',
          10_000,
        );
        // Held about the 400 ms timeout: far less than the 10 s default timeout or forever. The upper bound leaves room
        // for this test process's own event loop, which sees the close late when other suites share the two cores.
        for (const attempt of ended.slice(0, 2)) {
          const heldMs = (attempt.closedAt as number) - attempt.receivedAt;
          expect(heldMs).toBeGreaterThanOrEqual(350);
          expect(heldMs).toBeLessThan(3000);
        }
        const row = readDatabase(stack, (db) =>
          db.prepare('SELECT delivered_at, attempts, last_error FROM outbox WHERE order_id = ?').get(order.id),
        ) as { delivered_at: number | null; attempts: number; last_error: string };
        expect(row.delivered_at).toBeNull();
        expect(row.last_error).toContain('no answer within 400 ms');
        // The URL's query (it may hold a token) is not in what is recorded.
        expect(row.last_error).not.toContain('not-logged');
      } finally {
        await merchant.close();
      }
    } finally {
      await hole.close();
    }

    // A restart pointed at a receiver that answers gets the event the first run left in the outbox, id unchanged.
    const outboxId = (
      readDatabase(stack, (db) => db.prepare('SELECT id FROM outbox WHERE order_id = ?').get(order.id)) as {
        id: number;
      }
    ).id;
    const hook = await receiver([200]);
    try {
      const restarted = await stack.startMerchant({ fulfilmentUrl: hook.url, fulfilmentSecret: SECRET });
      try {
        await eventually(() => (hook.received.length > 0 ? true : undefined), 'the delivery after the restart', 15_000);
        const event = JSON.parse(hook.received[0]?.body as string) as FulfilmentEvent;
        expect(event).toMatchObject({ id: `evt_${outboxId}`, type: 'order.paid', order: { id: order.id } });
        expect(event.attempt).toBeGreaterThan(2);
        expect(
          verifyFulfilmentSignature(hook.received[0]?.body as string, hook.received[0]?.signature, SECRET).valid,
        ).toBe(true);
      } finally {
        await restarted.close();
      }
    } finally {
      await hook.close();
    }
  }, 30_000);

  test('the function hook and the URL together are refused at start-up', async () => {
    const failure = await stack
      .startMerchant({ fulfilmentUrl: 'http://127.0.0.1:9/none', fulfilmentSecret: SECRET }, { fulfilment: () => {} })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(MerchantServerError);
    expect((failure as MerchantServerError).code).toBe('CONFIG_INVALID');
    expect((failure as MerchantServerError).message).toContain('MINIPAY_FULFILMENT_URL');
  });
});

describe('verifyFulfilmentSignature', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'order.paid' });
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const at = Math.floor(now / 1000);
  const header = signFulfilmentBody(body, SECRET, at);
  const clock = { now: () => now };

  test('a request as signed verifies, within the tolerance either way', () => {
    expect(verifyFulfilmentSignature(body, header, SECRET, clock)).toEqual({ valid: true, timestamp: at });
    expect(verifyFulfilmentSignature(Buffer.from(body), header, SECRET, { now: () => now + 299_000 })).toMatchObject({
      valid: true,
    });
  });

  test('a wrong secret, a changed body or a missing header is refused', () => {
    expect(verifyFulfilmentSignature(body, header, 'another-secret-of-enough-length-000')).toMatchObject({
      valid: false,
      reason: expect.stringContaining('does not match'),
    });
    expect(
      verifyFulfilmentSignature(body.replace('order.paid', 'order.refunded'), header, SECRET, clock),
    ).toMatchObject({ valid: false, reason: expect.stringContaining('does not match') });
    expect(verifyFulfilmentSignature(body, undefined, SECRET, clock)).toMatchObject({ valid: false });
    expect(verifyFulfilmentSignature(body, 't=abc,v1=zz', SECRET, clock)).toMatchObject({ valid: false });
  });

  test('a changed timestamp breaks the signature; an old one (or one from the future) is refused', () => {
    const moved = header.replace(`t=${at}`, `t=${at + 1}`);
    expect(verifyFulfilmentSignature(body, moved, SECRET, clock)).toMatchObject({ valid: false });
    expect(verifyFulfilmentSignature(body, header, SECRET, { now: () => now + 301_000 })).toMatchObject({
      valid: false,
      reason: expect.stringContaining('301 s'),
    });
    expect(
      verifyFulfilmentSignature(body, header, SECRET, { now: () => now + 61_000, toleranceSeconds: 60 }),
    ).toMatchObject({ valid: false });
    expect(verifyFulfilmentSignature(body, header, SECRET, { now: () => now - 400_000 })).toMatchObject({
      valid: false,
    });
  });
});

describe('settings', () => {
  const base = { MINIPAY_HOME: '/srv/minipay', MINIPAY_CLIENT_ID: 'C1', MINIPAY_MERCHANT_PRIVATE_KEY: 'K' };
  const production = {
    ...base,
    MINIPAY_ENV: 'production',
    MINIPAY_PUBLIC_URL: 'https://shop.example.com',
    MINIPAY_WALLET_URL: 'https://open.wallet.example',
    MINIPAY_WALLET_PUBLIC_KEY: 'W',
    MINIPAY_SESSION_SECRET: 's'.repeat(43),
  };
  // Async, so that loadConfig's own refusals reject like the resolver's.
  const resolve = async (env: Record<string, string | undefined>) =>
    resolveConfig({ ...loadConfig(env), walletPublicKey: 'W', sessionSecret: 's'.repeat(32) });
  const failureOf = async (env: Record<string, string | undefined>): Promise<MerchantServerError> => {
    const outcome = await resolve(env).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(MerchantServerError);
    return outcome as MerchantServerError;
  };

  test('the URL, the secret (inline or from a file) and the timeout are read and resolved', async () => {
    const config = await resolve({
      ...base,
      MINIPAY_FULFILMENT_URL: 'https://hooks.example.com/minipay',
      MINIPAY_FULFILMENT_SECRET: SECRET,
      MINIPAY_FULFILMENT_TIMEOUT_MS: '2500',
    });
    expect([config.fulfilmentUrl, config.fulfilmentSecret, config.fulfilmentTimeoutMs]).toEqual([
      'https://hooks.example.com/minipay',
      SECRET,
      2500,
    ]);
    const fromFile = loadConfig(
      { MINIPAY_FULFILMENT_SECRET_FILE: '/run/secrets/fulfilment' },
      { readFile: () => `${SECRET}\n` },
    );
    expect(fromFile.fulfilmentSecret).toBe(SECRET);
    const defaults = await resolve(base);
    expect([defaults.fulfilmentUrl, defaults.fulfilmentSecret, defaults.fulfilmentTimeoutMs]).toEqual([
      undefined,
      undefined,
      10_000,
    ]);
    expect((await resolve({ ...base, MINIPAY_FULFILMENT_LEASE_MS: '6000' })).fulfilmentTimeoutMs).toBe(3000);
  });

  test('production takes the webhook over https', async () => {
    const config = await resolveConfig(
      loadConfig({
        ...production,
        MINIPAY_FULFILMENT_URL: 'https://hooks.example.com/m',
        MINIPAY_FULFILMENT_SECRET: SECRET,
      }),
    );
    expect(config.fulfilmentUrl).toBe('https://hooks.example.com/m');
  });

  test.each([
    [
      'the URL without a secret',
      { MINIPAY_FULFILMENT_URL: 'https://hooks.example.com/m' },
      'CONFIG_MISSING',
      'MINIPAY_FULFILMENT_SECRET',
    ],
    ['a secret without the URL', { MINIPAY_FULFILMENT_SECRET: SECRET }, 'CONFIG_INVALID', 'MINIPAY_FULFILMENT_URL'],
    [
      'a short secret',
      { MINIPAY_FULFILMENT_URL: 'https://h.example/m', MINIPAY_FULFILMENT_SECRET: 'hunter2-short' },
      'CONFIG_INVALID',
      'MINIPAY_FULFILMENT_SECRET',
    ],
    [
      'a URL that is not one',
      { MINIPAY_FULFILMENT_URL: 'hooks.example.com', MINIPAY_FULFILMENT_SECRET: SECRET },
      'CONFIG_INVALID',
      'MINIPAY_FULFILMENT_URL',
    ],
    [
      'a URL that is not http(s)',
      { MINIPAY_FULFILMENT_URL: 'ftp://h.example/m', MINIPAY_FULFILMENT_SECRET: SECRET },
      'CONFIG_INVALID',
      'MINIPAY_FULFILMENT_URL',
    ],
    [
      'a timeout not under the lease',
      { MINIPAY_FULFILMENT_LEASE_MS: '5000', MINIPAY_FULFILMENT_TIMEOUT_MS: '5000' },
      'CONFIG_INVALID',
      'MINIPAY_FULFILMENT_TIMEOUT_MS',
    ],
    [
      'a timeout that is not a number',
      { MINIPAY_FULFILMENT_TIMEOUT_MS: 'soon' },
      'CONFIG_INVALID',
      'MINIPAY_FULFILMENT_TIMEOUT_MS',
    ],
  ])('%s is refused, naming the variable and never the secret', async (_what, env, code, named) => {
    const failure = await failureOf({ ...base, ...env });
    expect(failure.code).toBe(code);
    expect(failure.message).toContain(named);
    expect(failure.message).not.toContain(SECRET);
    expect(failure.message).not.toContain('hunter2');
  });

  test('production refuses a plain-http webhook URL, and never shows the secret', async () => {
    const outcome = await resolveConfig(
      loadConfig({
        ...production,
        MINIPAY_FULFILMENT_URL: 'http://hooks.example.com/m',
        MINIPAY_FULFILMENT_SECRET: SECRET,
      }),
    ).then(
      () => undefined,
      (error: unknown) => error as MerchantServerError,
    );
    expect(outcome?.code).toBe('CONFIG_INVALID');
    expect(outcome?.message).toContain('MINIPAY_FULFILMENT_URL');
    expect(outcome?.message).toContain('https://');
    expect(outcome?.message).not.toContain(SECRET);
  });
});
