// The `Signature` header on the verify hot path: one split and native decoding (decodeURIComponent and
// Buffer's Base64 are far faster than any JS loop). Strictness about the Base64 alphabet is left to
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
  for (const part of value.split(',')) {
    const equals = part.indexOf('=');
    if (equals < 0) {
      if (part.trim() === '') continue;
      return undefined;
    }
    const name = part.slice(0, equals).trim().toLowerCase();
    if (name === 'signature') {
      if (text !== undefined) return undefined;
      const raw = part.slice(equals + 1).trim();
      if (raw.indexOf('%') < 0) text = raw;
      else {
        try {
          text = decodeURIComponent(raw);
        } catch {
          return undefined;
        }
      }
    } else if (name === 'algorithm') {
      if (algorithmSeen) return undefined;
      algorithmSeen = true;
      const upper = part
        .slice(equals + 1)
        .trim()
        .toUpperCase();
      if (upper !== 'RSA256' && upper !== 'ECC224') return undefined;
      algorithm = upper;
    } else if (name === 'keyversion') {
      if (keyVersion !== undefined) return undefined;
      keyVersion = part.slice(equals + 1).trim();
    }
  }
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 0 ? undefined : { algorithm, keyVersion, text, bytes };
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
