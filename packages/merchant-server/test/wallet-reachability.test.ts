// A wallet URL that nothing answers on is named as such: a warning at start-up, and a sign-in answer that says to
// check MINIPAY_WALLET_URL instead of "try again in a moment" (waiting does not fix a wrong URL).
import { createServer } from 'node:net';
import { unreachableReason } from '../src/internal/wallet-reachability';
import { call, logCollector, startStack, type Stack } from './helpers';

let stack: Stack;
let closedUrl: string;
beforeAll(async () => {
  stack = await startStack({ noMerchant: true });
  // A port that was free a moment ago and that nothing listens on.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  closedUrl = `http://127.0.0.1:${port}`;
});
afterAll(() => stack.close());

async function until<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('unreachableReason', () => {
  it('names a refused connection or an unknown host, through the causes that wrap it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('NETWORK_ERROR', { cause: new TypeError('fetch failed', { cause: refused }) });
    expect(unreachableReason(wrapped)).toBe('connection refused, ECONNREFUSED');
    expect(unreachableReason(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe(
      'host name not found, ENOTFOUND',
    );
  });

  it('says nothing of other failures (a timeout, a reset: the wallet is there)', () => {
    expect(unreachableReason(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(unreachableReason(new Error('timeout'))).toBeUndefined();
  });
});

describe('a merchant server whose MINIPAY_WALLET_URL answers nothing', () => {
  it('warns at start-up, naming the URL and the setting', async () => {
    const logs = logCollector();
    const server = await stack.startMerchant({ walletUrl: closedUrl, log: { level: 'info', stream: logs.stream } });
    try {
      const warning = await until(() => logs.entries().find((entry) => entry.level === 40));
      expect(warning.msg).toBe(
        `the wallet at ${closedUrl} does not answer (connection refused, ECONNREFUSED): check the merchant ` +
          "server's MINIPAY_WALLET_URL, and that the wallet is running",
      );
    } finally {
      await server.close();
    }
  });

  it('answers a sign-in with what to fix instead of "try again in a moment"', async () => {
    const server = await stack.startMerchant({ walletUrl: closedUrl });
    try {
      const answer = await call<{ error: { code: string; message: string } }>(server.url, 'POST', '/api/session', {
        body: { authCode: 'any-code' },
      });
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('WALLET_UNAVAILABLE');
      expect(answer.body.error.message).toContain(`the wallet at ${closedUrl} does not answer (connection refused`);
      expect(answer.body.error.message).not.toContain('try again in a moment');
    } finally {
      await server.close();
    }
  });

  it('does not warn when the wallet answers', async () => {
    const logs = logCollector();
    const server = await stack.startMerchant({ log: { level: 'info', stream: logs.stream } });
    try {
      // The probe is one GET of the sandbox's dashboard; give it the time a refusal took above.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await server.close();
    }
    expect(logs.entries().filter((entry) => (entry.level as number) >= 40)).toEqual([]);
  });
});
