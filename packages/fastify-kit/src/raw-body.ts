// A signature covers the exact bytes that travelled, so a route that verifies one needs the body as those bytes,
// never Fastify's parsed JSON (re-serialising changes them) nor a string decoded from them (a stray invalid UTF-8
// byte would be replaced before the check).
import type { FastifyInstance } from 'fastify';
import { assertJsonNesting } from './json-nesting';

/**
 * Replaces every content-type parser of `scope` with one that keeps the body as the raw bytes (a Buffer), whatever its
 * type. A body nested deeper than `MAX_JSON_NESTING` is refused here (`JsonNestingError`), before any route parses it.
 */
export function keepRawBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      assertJsonNesting(body as Buffer);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    done(null, body);
  });
}
