// Shared test helpers: a sandbox on port 0 with a temp dev home, signed calls, the openssl CLI as an
// independent signer, a real node:http notification receiver, and polling (no fixed sleeps).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevHome, type DevHome } from '@minipay/dev-home';
import {
  formatRequestTime,
  signRequest,
  signedResponse,
  verifyNotification,
  verifyResponse,
  type NotifyPaymentRequest,
  type PayRequest,
  type Result,
} from '@minipay/openapi';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../src';

export interface TestSandbox {
  sandbox: RunningSandbox;
  home: DevHome;
  lines: string[];
  close(): Promise<void>;
}

export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'minipay-sandbox-test-'));
  const home = await ensureDevHome(dir);
  const lines: string[] = [];
  const sandbox = await startSandbox({
    home: dir,
    port: 0,
    retrySchedule: [30, 30, 30],
    log: (line) => lines.push(line),
    ...options,
  });
  return {
    sandbox,
    home,
    lines,
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WalletAnswer {
  status: number;
  headers: Headers;
  raw: string;
  body: { result: Result } & Record<string, any>;
}

/** POSTs `raw` with the given headers and checks that the answer is signed by the wallet. */
export async function postRaw(
  t: TestSandbox,
  path: string,
  raw: string,
  headers: Record<string, string>,
): Promise<WalletAnswer> {
  const response = await fetch(t.sandbox.url + path, { method: 'POST', headers, body: raw });
  const text = await response.text();
  const body = verifyResponse({
    headers: response.headers,
    rawBody: text,
    path,
    publicKey: t.home.walletPublicKey,
  }) as WalletAnswer['body'];
  return { status: response.status, headers: response.headers, raw: text, body };
}

/** A signed OpenAPI call as a merchant makes it (`path` without the prefix, e.g. `/v2/payments/pay`). */
export async function call(
  t: TestSandbox,
  api: string,
  body: unknown,
  options: { now?: Date } = {},
): Promise<WalletAnswer> {
  const path = `/api/open${api}`;
  const raw = JSON.stringify(body);
  const headers = signRequest({
    path,
    clientId: t.home.clientId,
    body: raw,
    privateKey: t.home.merchantPrivateKey,
    ...(options.now ? { now: options.now } : {}),
  });
  return postRaw(t, path, raw, headers);
}

/** The `Signature` value the openssl CLI makes: `openssl dgst -sha256 -sign key.pem | base64 -w0`, URL-encoded. */
export function opensslSignature(content: string, privateKeyPath: string): string {
  const signature = execFileSync('openssl', ['dgst', '-sha256', '-sign', privateKeyPath], { input: content });
  const base64 = execFileSync('base64', ['-w0'], { input: signature }).toString('utf8').trim();
  return `algorithm=RSA256, keyVersion=1, signature=${encodeURIComponent(base64)}`;
}

let requestCounter = 0;

export function payRequest(overrides: Partial<PayRequest> & { notifyUrl?: string } = {}): PayRequest {
  requestCounter += 1;
  const { notifyUrl, ...rest } = overrides;
  return {
    appId: '3021000000000001',
    paymentRequestId: `req-${Date.now()}-${requestCounter}`,
    paymentAmount: { currency: 'USD', value: '1250' },
    order: {
      referenceOrderId: `order-${requestCounter}`,
      orderDescription: 'Two coffees',
      orderAmount: { currency: 'USD', value: '1250' },
      merchant: { merchantName: 'Test Coffee' },
    },
    ...(notifyUrl ? { paymentNotifyUrl: notifyUrl } : {}),
    ...rest,
  };
}

export interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  raw: string;
  path: string;
  /** The verified body, or undefined when verification failed. */
  body?: NotifyPaymentRequest;
  /** Why verification failed. */
  error?: string;
}

export type ReceiverReply = 'ack' | 'fail' | 'http500' | 'unsigned';

/**
 * A merchant's notification endpoint on node:http: verifies each notification with the wallet's public key and
 * acknowledges it with `signedResponse` (or as `reply` says, possibly later: `reply` may return a promise). A
 * notification that does not verify gets F.
 */
export async function startReceiver(
  home: DevHome,
  reply: (notification: ReceivedNotification, index: number) => ReceiverReply | Promise<ReceiverReply> = () => 'ack',
): Promise<{ url: string; received: ReceivedNotification[]; close(): Promise<void> }> {
  const received: ReceivedNotification[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const notification: ReceivedNotification = { headers: request.headers, raw, path };
      try {
        notification.body = verifyNotification({
          headers: request.headers,
          rawBody: raw,
          publicKey: home.walletPublicKey,
          path,
        });
      } catch (error) {
        notification.error = (error as Error).message;
      }
      received.push(notification);
      void Promise.resolve(notification.body ? reply(notification, received.length - 1) : 'fail').then((mode) =>
        answer(mode),
      );
      function answer(mode: ReceiverReply): void {
        if (mode === 'http500') {
          response.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
          return;
        }
        const result: Result =
          mode === 'fail'
            ? { resultStatus: 'F', resultCode: 'INVALID_SIGNATURE', resultMessage: notification.error ?? 'refused' }
            : { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' };
        const signed = signedResponse({
          result,
          clientId: String(request.headers['client-id'] ?? home.clientId),
          privateKey: home.merchantPrivateKey,
          path,
        });
        if (mode === 'unsigned') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(signed.body);
          return;
        }
        response.writeHead(200, signed.headers).end(signed.body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/notify/payment`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it returns a value that is not undefined/false (every 10 ms, at most `timeoutMs`). */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function json(
  t: TestSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(t.sandbox.url + path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

export { formatRequestTime };
