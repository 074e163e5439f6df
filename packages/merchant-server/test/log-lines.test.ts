// The development log: one readable line per request and per entry (`format: 'lines'`, what `minipay-merchant` prints
// outside production), next to the JSON lines that stay the default for log collectors.
import { formatLogLine } from '../src/internal/log-lines';
import { call, logCollector, startStack, type Stack } from './helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ noMerchant: true });
});
afterAll(() => stack.close());

describe('formatLogLine', () => {
  it("turns Fastify's two entries of a request into one line, `METHOD url status time`, when it is answered", () => {
    const pending = new Map<unknown, string>();
    const base = { level: 30, time: 1, pid: 2, hostname: 'h' };
    const incoming = (reqId: string, url: string) =>
      JSON.stringify({ ...base, reqId, req: { method: 'POST', url }, msg: 'incoming request' });
    const completed = (reqId: string, statusCode: number) =>
      JSON.stringify({ ...base, reqId, res: { statusCode }, responseTime: 12.4, msg: 'request completed' });
    expect(formatLogLine(incoming('req-1', '/api/orders'), pending)).toBeUndefined();
    expect(formatLogLine(incoming('req-2', '/api/session'), pending)).toBeUndefined();
    expect(formatLogLine(completed('req-2', 401), pending)).toBe('POST /api/session 401 12ms');
    expect(formatLogLine(completed('req-1', 201), pending)).toBe('POST /api/orders 201 12ms');
    expect(pending.size).toBe(0);
  });

  it('keeps the level (except INFO), the message and the fields, and names an error by class, code and message', () => {
    const line = JSON.stringify({
      level: 40,
      time: 1,
      pid: 2,
      hostname: 'h',
      msg: 'pay: no usable answer',
      orderId: 'ord_1',
      err: { name: 'TransportError', code: 'NETWORK_ERROR', message: 'connect ECONNREFUSED' },
    });
    expect(formatLogLine(line)).toBe(
      'WARN pay: no usable answer orderId=ord_1 err=TransportError NETWORK_ERROR: connect ECONNREFUSED',
    );
    expect(formatLogLine(JSON.stringify({ level: 30, msg: 'listening', port: 8200 }))).toBe('listening port=8200');
  });

  it('passes a line that is not JSON through as it is', () => {
    expect(formatLogLine('plain text\n')).toBe('plain text');
  });
});

describe('a merchant server', () => {
  it("with format 'lines' prints one readable line per request, not two JSON entries", async () => {
    const logs = logCollector();
    const server = await stack.startMerchant({ log: { level: 'info', stream: logs.stream, format: 'lines' } });
    try {
      expect((await call(server.url, 'GET', '/api/products')).status).toBe(200);
    } finally {
      await server.close();
    }
    const requests = logs.lines.filter((line) => line.includes('/api/products'));
    expect(requests).toEqual([expect.stringMatching(/^GET \/api\/products 200 \d+ms\n$/)]);
    expect(logs.lines.some((line) => line.trimStart().startsWith('{'))).toBe(false);
  });

  it('by default logs JSON lines, for log collectors (one per request, when it is answered)', async () => {
    const logs = logCollector();
    const server = await stack.startMerchant({ log: { level: 'info', stream: logs.stream } });
    try {
      expect((await call(server.url, 'GET', '/api/products')).status).toBe(200);
    } finally {
      await server.close();
    }
    const entries = logs.entries();
    const { reqId } = entries.find((entry) => (entry.req as { url?: string } | undefined)?.url === '/api/products')!;
    const messages = entries.filter((entry) => entry.reqId === reqId).map((entry) => entry.msg);
    expect(messages).toEqual(['request completed']);
    expect(entries.find((entry) => entry.reqId === reqId)).toMatchObject({ res: { statusCode: 200 } });
  });
});
