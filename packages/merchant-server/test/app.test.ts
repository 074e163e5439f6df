import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// The Fastify shell on its own: what reaches the logs.
import { createApp } from '../src/app';
import { logCollector } from './helpers';

describe('logs', () => {
  test('secrets are redacted wherever they appear in a log entry', async () => {
    const logs = logCollector();
    const app = createApp({ level: 'info', stream: logs.stream });
    try {
      app.log.info(
        {
          req: {
            headers: { authorization: 'Bearer tok.en', signature: 'algorithm=RSA256, keyVersion=1, signature=abc' },
          },
          token: 'session-token-1',
          accessToken: 'wallet-access-1',
          session: { token: 'session-token-2', refreshToken: 'wallet-refresh-1', authCode: 'auth-code-1' },
          config: {
            privateKey: readFileSync(join(__dirname, 'fixtures', 'test-bogus-private-key.pem'), 'utf8'),
            sessionSecret: 'the-secret',
          },
          orderId: 'ord_1',
        },
        'an entry full of secrets',
      );
    } finally {
      await app.close();
    }
    const [entry] = logs.entries();
    const text = JSON.stringify(entry);
    for (const secret of [
      'tok.en',
      'signature=abc',
      'session-token-1',
      'session-token-2',
      'wallet-access-1',
      'wallet-refresh-1',
      'auth-code-1',
      'BEGIN PRIVATE KEY',
      'the-secret',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(entry).toMatchObject({ orderId: 'ord_1', token: '[redacted]', msg: 'an entry full of secrets' });
  });

  test('each request is one line when it is answered: method, path, status and time, never its headers', async () => {
    const logs = logCollector();
    const app = createApp({ level: 'info', stream: logs.stream });
    try {
      app.get('/ping', async () => ({ ok: true }));
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const answer = await fetch(`${url}/ping?x=1`, { headers: { authorization: 'Bearer tok.en' } });
      expect(answer.status).toBe(200);
      await answer.text();
    } finally {
      await app.close();
    }
    const requestLines = logs.entries().filter((entry) => entry.reqId !== undefined);
    expect(requestLines).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', url: '/ping?x=1' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(logs.lines.join('\n')).not.toContain('tok.en');
  });
});
