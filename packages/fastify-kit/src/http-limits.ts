// How long a client may hold a connection without finishing its request, and how many connections a server keeps at
// once. Fastify leaves `connectionTimeout` and `requestTimeout` at 0 (never), so an idle socket, or a body shorter than
// its Content-Length, would stay open forever: a few hundred of them use up the process's file descriptors and take
// the API (and the notification endpoint) offline. Both servers apply these limits, with these defaults.
import type { Server } from 'node:http';

export interface HttpLimits {
  /** A socket with no byte in either direction for this long is closed (idle before or between requests). 0 = never. */
  connectionTimeoutMs: number;
  /** A request's headers must have arrived this long after its first byte (or after the connection opened). 0 = never. */
  headersTimeoutMs: number;
  /** A whole request, body included, must have arrived this long after it started. 0 = never. */
  requestTimeoutMs: number;
  /** An idle keep-alive socket is closed this long after its last answer. 0 = never. */
  keepAliveTimeoutMs: number;
  /** At most this many connections at once; more are closed as they arrive. 0 = no cap. */
  maxConnections: number;
}

/**
 * Defaults a production server would use: a request (at most 64 KiB here) has 30 s to arrive and its headers 10 s, an
 * idle socket is dropped after 30 s, a keep-alive one 5 s after its last answer (Node's own default; behind a load
 * balancer, set it above the balancer's idle timeout), and at most 500 connections at once (well under the common
 * limit of 1,024 file descriptors, which the database and log files share).
 */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  connectionTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 500,
});

/** The largest value of any limit: a day for the timeouts, a million connections. */
export const MAX_HTTP_TIMEOUT_MS = 24 * 3600 * 1000;

/** Why `limits` cannot be applied (a message naming the limit), or undefined when they can. */
export function httpLimitsProblem(limits: HttpLimits, name: (limit: keyof HttpLimits) => string): string | undefined {
  for (const limit of Object.keys(DEFAULT_HTTP_LIMITS) as Array<keyof HttpLimits>) {
    const value = limits[limit];
    const max = limit === 'maxConnections' ? 1_000_000 : MAX_HTTP_TIMEOUT_MS;
    if (!Number.isInteger(value) || value < 0 || value > max) {
      return `${name(limit)} must be a whole number from 0 (off) to ${max}; got ${JSON.stringify(value)}`;
    }
  }
  // Node refuses a headers timeout longer than the request timeout: the headers are part of the request.
  if (limits.requestTimeoutMs > 0 && limits.headersTimeoutMs > limits.requestTimeoutMs) {
    return `${name('headersTimeoutMs')} (${limits.headersTimeoutMs}) must not be longer than ${name('requestTimeoutMs')} (${limits.requestTimeoutMs})`;
  }
  return undefined;
}

/** The Fastify server options that carry the limits (pass them to `Fastify({...})`); `capConnections` does the rest. */
export function fastifyHttpOptions(limits: HttpLimits): {
  connectionTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  http: {
    headersTimeout: number;
    requestTimeout: number;
    keepAliveTimeout: number;
    connectionsCheckingInterval: number;
  };
} {
  return {
    connectionTimeout: limits.connectionTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      // Node checks the headers and request timeouts on an interval (30 s by default), so a 10 s limit could be
      // enforced 40 s late; checking more often costs one pass over the open connections.
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(limits),
    },
  };
}

/** Applies the connection cap to the listening server (Node's `server.maxConnections`; Fastify has no option for it). */
export function capConnections(server: Server, limits: HttpLimits): void {
  // Node reads 0 as "refuse every connection"; here 0 means no cap.
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  // Node 20 keeps its own 60 s default when Fastify leaves it; the limit asked for wins, 0 included (off).
  server.headersTimeout = limits.headersTimeoutMs;
}

function checkingIntervalMs(limits: HttpLimits): number {
  const positive = [limits.headersTimeoutMs, limits.requestTimeoutMs].filter((ms) => ms > 0);
  if (positive.length === 0) return 30_000;
  return Math.min(1000, Math.max(50, Math.floor(Math.min(...positive) / 2)));
}
