// The balancer passes messages on, never the instance's connection: its own keep-alive terms reach the client.
import { createServer, get, type Server } from 'node:http';
import { startBalancer, type Balancer } from '../src/balancer';

let instance: Server;
let balancer: Balancer;

beforeAll(async () => {
  instance = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-instance': 'one' });
    response.end('{"ok":true}');
  });
  // As Fastify's default: a client may keep an idle connection to the instance for 72 s.
  instance.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => instance.listen(0, '127.0.0.1', resolve));
  const address = instance.address();
  balancer = await startBalancer({
    upstreams: [`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`],
  });
});

afterAll(async () => {
  await balancer.close();
  await new Promise<void>((resolve) => instance.close(() => resolve()));
});

test("an instance's keep-alive header is not forwarded; the balancer's own is (the client must not outlive it)", async () => {
  const answer = await new Promise<{ headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    get(`${balancer.url}/x`, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ headers: response.headers, body }));
    }).on('error', reject);
  });
  expect(answer.body).toBe('{"ok":true}');
  expect(answer.headers['x-instance']).toBe('one');
  expect(answer.headers['keep-alive']).toBe('timeout=5');
});
