// How a fulfilment webhook request is signed, and how its receiver checks it: the common webhook convention of an
// HMAC-SHA256, keyed by the shared `MINIPAY_FULFILMENT_SECRET`, over `<unix seconds>.<raw body>`, sent as
// `Minipay-Signature: t=<unix seconds>,v1=<hex>`. The timestamp is inside what is signed, so a receiver that refuses
// old timestamps refuses a captured request replayed later; `v1` names the scheme, so another can be added beside it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the signature travels in. */
export const FULFILMENT_SIGNATURE_HEADER = 'Minipay-Signature';

/** How far a signature's time may be from the receiver's clock, either way, by default: 5 minutes. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

function digest(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The `Minipay-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signFulfilmentBody(body: string | Uint8Array, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`;
}

/** What `verifyFulfilmentSignature` found: valid, with the signed time; or not, with why (never the secret). */
export type FulfilmentSignatureCheck = { valid: true; timestamp: number } | { valid: false; reason: string };

export interface VerifyFulfilmentSignatureOptions {
  /** How far the signed time may be from now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** The receiver's clock (for tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * Checks a fulfilment webhook request as its receiver got it: `body` the raw bytes (verify before parsing: parsed and
 * re-serialised JSON is not the same text), `header` the `Minipay-Signature` value, `secret` the shared
 * `MINIPAY_FULFILMENT_SECRET`. Valid only when a `v1` signature matches (compared in constant time) and the signed
 * time is within `toleranceSeconds` of now.
 */
export function verifyFulfilmentSignature(
  body: string | Uint8Array,
  header: string | readonly string[] | undefined,
  secret: string,
  options: VerifyFulfilmentSignatureOptions = {},
): FulfilmentSignatureCheck {
  const value = Array.isArray(header) ? header.join(',') : (header as string | undefined);
  if (value === undefined || value.trim() === '')
    return { valid: false, reason: `no ${FULFILMENT_SIGNATURE_HEADER} header` };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const text = rest.join('=');
    if (key === 't' && /^\d{1,12}$/.test(text)) timestamp = Number(text);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(text)) signatures.push(text.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) {
    return {
      valid: false,
      reason: `the ${FULFILMENT_SIGNATURE_HEADER} header is not t=<unix seconds>,v1=<64 hex digits>`,
    };
  }
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
  if (!signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected))) {
    return { valid: false, reason: 'the signature does not match the body (a different secret, or a changed body)' };
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const skew = Math.abs(Math.floor((options.now ?? Date.now)() / 1000) - timestamp);
  if (skew > tolerance) {
    return { valid: false, reason: `the signed time is ${skew} s from now, more than the ${tolerance} s accepted` };
  }
  return { valid: true, timestamp };
}
