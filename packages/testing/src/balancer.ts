// A small round-robin load balancer (node:http) for tests and benchmarks that run several instances of a server:
// each request goes to the next instance in turn. Like a real balancer's passive health check, an instance that
// refuses the connection is skipped for a while and the request goes to the next one (a refused connection never
// reached the server, so retrying it is safe whatever the method). A request an instance dropped after it arrived
// (the instance died while answering) is not retried: the client gets 502, as from nginx, and decides.
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';

export interface Balancer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The instances behind it, in round-robin order (origins such as `http://127.0.0.1:8200`). */
  setUpstreams(origins: readonly string[]): void;
  /** How many requests each instance answered (by origin). */
  answered(): Record<string, number>;
  close(): Promise<void>;
}

export interface BalancerOptions {
  /** The instances; more can be set later with `setUpstreams`. */
  upstreams?: readonly string[];
  /** How long an instance that refused a connection is skipped. Default 1000 ms. */
  downMs?: number;
}

/**
 * Hop-by-hop headers describe one connection, not the message (RFC 9110 §7.6.1), so a proxy never forwards them. An
 * instance's `keep-alive: timeout=72` passed on to the client would promise a connection the balancer's own server
 * closes after 5 idle seconds: the client reuses it after that and gets ECONNRESET.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set([
    ...HOP_BY_HOP,
    ...String(headers.connection ?? '')
      .toLowerCase()
      .split(/\s*,\s*/),
  ]);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !named.has(name.toLowerCase())));
}

/** Starts a balancer on a free port of 127.0.0.1. */
export async function startBalancer(options: BalancerOptions = {}): Promise<Balancer> {
  let upstreams: string[] = [...(options.upstreams ?? [])];
  const downUntil = new Map<string, number>();
  const answered: Record<string, number> = {};
  const downMs = options.downMs ?? 1000;
  let next = 0;

  /** The instances in the order to try for one request: the next in turn first, those marked down last. */
  const order = (): string[] => {
    const start = next++ % Math.max(upstreams.length, 1);
    const turn = [...upstreams.slice(start), ...upstreams.slice(0, start)];
    const now = Date.now();
    const up = turn.filter((origin) => (downUntil.get(origin) ?? 0) <= now);
    return [...up, ...turn.filter((origin) => !up.includes(origin))];
  };

  const forward = (origin: string, incoming: IncomingMessage, body: Buffer): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const target = new URL(incoming.url ?? '/', origin);
      // One connection per request (no keep-alive to the instances), so a dead instance is a refused connection.
      const outgoing = httpRequest(
        target,
        { method: incoming.method, headers: { ...endToEnd(incoming.headers), host: target.host }, agent: false },
        resolve,
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (const origin of order()) {
      let upstream: IncomingMessage;
      try {
        upstream = await forward(origin, incoming, body);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
          downUntil.set(origin, Date.now() + downMs);
          continue;
        }
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { code: 'BAD_GATEWAY', message: `${origin}: ${(error as Error).message}` } }),
        );
        return;
      }
      answered[origin] = (answered[origin] ?? 0) + 1;
      response.writeHead(upstream.statusCode ?? 502, endToEnd(upstream.headers));
      upstream.pipe(response);
      await new Promise<void>((resolve) => {
        upstream.once('end', resolve);
        upstream.once('error', () => {
          response.destroy();
          resolve();
        });
      });
      return;
    }
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'NO_UPSTREAM', message: 'no instance accepts connections' } }));
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    setUpstreams(origins) {
      upstreams = [...origins];
    },
    answered: () => ({ ...answered }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
