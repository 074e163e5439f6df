import { OpenApiError } from '../errors';

/** The body exactly as it travelled: a string, or its bytes. */
export type RawBody = string | Uint8Array;

const HINT =
  'pass the raw body string that travelled, not the parsed JSON (re-serialising changes the bytes the signature covers; ' +
  "in Fastify use addContentTypeParser('application/json', { parseAs: 'string' }, ...), in Express express.text({ type: 'application/json' }))";

/** @throws OpenApiError `BODY_NOT_RAW` for the classic mistake of handing over a parsed object. */
export function assertRawBody(body: unknown, what: string): asserts body is RawBody {
  if (typeof body === 'string' || body instanceof Uint8Array) return;
  if (body === undefined || body === null) {
    throw new OpenApiError(`${what} is ${String(body)}: ${HINT}; an empty body is ''`, { code: 'BODY_NOT_RAW' });
  }
  throw new OpenApiError(`${what} is ${typeof body === 'object' ? 'an object' : `a ${typeof body}`}: ${HINT}`, {
    code: 'BODY_NOT_RAW',
  });
}

export function rawBodyText(body: RawBody): string {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}
