// A JSON body nested thousands of levels deep costs far more to parse (and to validate, and to walk) than its size
// suggests: a 1 MiB one took 150–280 ms of CPU per request. No message of either server nests deeper than a handful of
// levels, so a body is measured, in one pass over its bytes, before anything parses it.

/** The deepest nesting of objects and arrays accepted in a JSON body (the deepest message of the protocol has 4). */
export const MAX_JSON_NESTING = 32;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The error a body parser passes on for a body nested too deep: `statusCode` 400 and `code` `JSON_TOO_DEEP`, so an
 * error handler can answer it in its API's shape.
 */
export class JsonNestingError extends Error {
  override readonly name = 'JsonNestingError';
  readonly code = 'JSON_TOO_DEEP';
  readonly statusCode = 400;
  constructor(readonly limit: number) {
    super(`the JSON body is nested deeper than ${limit} levels`);
  }
}

/**
 * How deep `body` nests objects and arrays, counting only brackets outside strings; it stops counting as soon as
 * `limit` is passed (so a huge body costs no more than its first levels). Not a validator: malformed JSON is left to
 * the parser that runs next.
 */
export function jsonNestingDepth(body: string | Uint8Array, limit = Number.POSITIVE_INFINITY): number {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return deepest;
}

/** Throws `JsonNestingError` when `body` nests deeper than `limit` (default `MAX_JSON_NESTING`). */
export function assertJsonNesting(body: string | Uint8Array, limit = MAX_JSON_NESTING): void {
  if (jsonNestingDepth(body, limit) > limit) throw new JsonNestingError(limit);
}
