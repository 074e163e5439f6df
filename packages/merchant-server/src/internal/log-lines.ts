// The log as one readable line per entry, for development (`npm start`, `npx minipay-merchant` on a laptop), in the
// sandbox's manner: `POST /api/orders 201 12ms`, `WARN pay: no usable answer ... orderId=ord_1 err=TransportError
// NETWORK_ERROR: ...`. It formats the JSON lines pino writes (redaction has already happened), so both formats
// carry the same fields; production keeps the JSON lines, which log collectors read.
//
// Why not pino-pretty: it is the usual choice and well kept, but it brings a dozen packages and a worker thread
// for what is a few lines here, and its output (multi-line objects, timestamps, pids) is not the one-liner the
// sandbox prints next to it in `npm start`.
import type { LogDestination } from '../config';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields, and Fastify's request id: noise on a developer's terminal. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId']);

/**
 * One JSON log line → one readable line, or undefined for a line that says nothing on its own. Fastify logs two
 * entries per request: "incoming request" (method and URL) and "request completed" (status and time), joined by
 * `reqId`; the first is remembered in `pending` and the pair printed as one line when the answer is sent. A line
 * that is not JSON is kept as it is. A "request completed" entry that carries `req` itself (the app's own request
 * log, one entry per request) is printed as it comes.
 */
export function formatLogLine(line: string, pending: Map<unknown, string> = new Map()): string | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  if (entry.msg === 'incoming request' && req?.method) {
    pending.set(entry.reqId, `${req.method} ${req.url}`);
    return undefined;
  }
  if (entry.msg === 'request completed' && res?.statusCode !== undefined) {
    const request = pending.get(entry.reqId) ?? (req?.method ? `${req.method} ${req.url}` : 'request');
    pending.delete(entry.reqId);
    return `${request} ${res.statusCode} ${Math.round(Number(entry.responseTime ?? 0))}ms`;
  }
  const level = LEVELS[entry.level as number] ?? 'INFO';
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${describe(key, value)}`);
  return [level === 'INFO' ? '' : level, String(entry.msg ?? ''), ...fields].filter(Boolean).join(' ');
}

function describe(key: string, value: unknown): string {
  if (key === 'err' && typeof value === 'object' && value !== null) {
    const { name, code, message } = value as { name?: string; code?: string; message?: string };
    return `${name ?? 'Error'}${code ? ` ${code}` : ''}: ${message ?? ''}`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A destination that writes each JSON line it is given to `out` as a readable line. */
export function readableLines(out: LogDestination): LogDestination {
  // Requests received and not yet answered, by reqId (Fastify logs the completion of every request it received).
  const pending = new Map<unknown, string>();
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line.trim() === '') continue;
        const readable = formatLogLine(line, pending);
        if (readable !== undefined) out.write(`${readable}\n`);
      }
    },
  };
}
