// A signature covers the exact bytes that travelled, so a route that verifies one needs the body as the raw string,
// never Fastify's parsed JSON (re-serialising changes the bytes).
import type { FastifyInstance } from 'fastify';

/** Replaces every content-type parser of `scope` with one that keeps the body as the raw string, whatever its type. */
export function keepRawBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}
