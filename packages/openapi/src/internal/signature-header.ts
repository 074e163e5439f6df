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

/** `undefined` when the value is not `key=value` pairs with a non-empty `signature` and a known `algorithm`. */
export function scanSignatureHeader(value: string): ScannedHeader | undefined {
  let algorithm: Algorithm = 'RSA256';
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
      const upper = part.slice(equals + 1).trim().toUpperCase();
      if (upper !== 'RSA256' && upper !== 'ECC224') return undefined;
      algorithm = upper;
    } else if (name === 'keyversion') {
      keyVersion = part.slice(equals + 1).trim();
    }
  }
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 0 ? undefined : { algorithm, keyVersion, text, bytes };
}
