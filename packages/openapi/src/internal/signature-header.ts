// The `Signature` header on the verify hot path: a scan by index (no split) and Buffer's native Base64; the
// percent-escapes of URL-encoded Base64 are undone by hand, which measured twice as fast as decodeURIComponent. Strictness about the Base64 alphabet is left to
// `parseSignatureHeader`: for `verify`, garbage decodes to bytes that simply do not verify.
import type { Algorithm } from '../keys';

export interface ScannedHeader {
  algorithm: Algorithm;
  keyVersion: string | undefined;
  /** The signature value, URL-decoding undone (may still hold whitespace). */
  text: string;
  /** The signature bytes. */
  bytes: Buffer;
}

/**
 * `undefined` when the value is not `key=value` pairs with a non-empty `signature` and a known `algorithm`, or
 * when it names `signature`, `algorithm` or `keyVersion` twice: which one counts would be a guess, and another
 * parser guessing differently (or two `Signature` headers, which node:http joins with ", ") must not get a pass.
 */
export function scanSignatureHeader(value: string): ScannedHeader | undefined {
  let algorithm: Algorithm = 'RSA256';
  let algorithmSeen = false;
  let keyVersion: string | undefined;
  let text: string | undefined;
  // The comma-separated pairs by index, as `value.split(',')` would give them (an empty pair is skipped).
  for (let start = 0; start <= value.length;) {
    let end = value.indexOf(',', start);
    if (end < 0) end = value.length;
    const equals = value.indexOf('=', start);
    if (equals < 0 || equals > end) {
      if (value.slice(start, end).trim() !== '') return undefined;
    } else {
      const name = value.slice(start, equals).trim().toLowerCase();
      if (name === 'signature') {
        if (text !== undefined) return undefined;
        text = percentDecoded(value.slice(equals + 1, end).trim());
        if (text === undefined) return undefined;
      } else if (name === 'algorithm') {
        if (algorithmSeen) return undefined;
        algorithmSeen = true;
        const upper = value
          .slice(equals + 1, end)
          .trim()
          .toUpperCase();
        if (upper !== 'RSA256' && upper !== 'ECC224') return undefined;
        algorithm = upper;
      } else if (name === 'keyversion') {
        if (keyVersion !== undefined) return undefined;
        keyVersion = value.slice(equals + 1, end).trim();
      }
    }
    start = end + 1;
  }
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 0 ? undefined : { algorithm, keyVersion, text, bytes };
}

/**
 * The value of `signature=` with its percent-escapes decoded, as `decodeURIComponent` would; `undefined` when one is
 * malformed. URL-encoded Base64 only ever has `%2B`, `%2F` and `%3D`: those are decoded here (in half the time of
 * `decodeURIComponent`, which was the largest cost of reading the header), anything else by `decodeURIComponent`.
 */
function percentDecoded(raw: string): string | undefined {
  let decoded = '';
  let from = 0;
  for (let at = raw.indexOf('%'); at >= 0; at = raw.indexOf('%', from)) {
    const high = raw.charCodeAt(at + 1);
    const low = raw.charCodeAt(at + 2) | 0x20; // lower case
    let char: string;
    if (high === 0x32 && low === 0x62) char = '+';
    else if (high === 0x32 && low === 0x66) char = '/';
    else if (high === 0x33 && low === 0x64) char = '=';
    else {
      try {
        return decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    }
    decoded += raw.slice(from, at) + char;
    from = at + 3;
  }
  return from === 0 ? raw : decoded + raw.slice(from);
}

export const KEY_VERSION_RULE =
  'keyVersion must be a non-negative integer or a token of letters, digits, ".", "_" and "-" (e.g. 1)';

/**
 * The `keyVersion` to write: a non-negative integer or a short token of letters, digits, `.`, `_` and `-`.
 * Anything else (a comma, `=`, a space) would corrupt the header or smuggle in another pair.
 * @returns the text to write, or `undefined` when it is not one.
 */
export function formatKeyVersion(keyVersion: unknown): string | undefined {
  if (typeof keyVersion === 'number')
    return Number.isSafeInteger(keyVersion) && keyVersion >= 0 ? String(keyVersion) : undefined;
  return typeof keyVersion === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(keyVersion) ? keyVersion : undefined;
}
