// Session tokens the mini program sends as `Authorization: Bearer <token>`: a Base64url JSON payload (customer,
// expiry) and its HMAC-SHA256 under the configured secret, `<payload>.<mac>`. Stateless, so any instance with the
// secret can check it; the wallet's access token is never in it (it stays in the database).
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  /** The wallet's `customerId`. */
  customerId: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A token's check, as a value: the caller maps `expired` to 401 SESSION_EXPIRED and `invalid` to 401 UNAUTHENTICATED. */
export type SessionCheck =
  { status: 'valid'; claims: SessionClaims } | { status: 'expired'; claims: SessionClaims } | { status: 'invalid' };

const VERSION = 'v1';

export function createSessionToken(claims: SessionClaims, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ v: VERSION, sub: claims.customerId, iat: claims.issuedAt, exp: claims.expiresAt }),
    'utf8',
  ).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** Checks the MAC first (a forged token is `invalid` even if it claims to be expired), then the expiry. */
export function checkSessionToken(token: string, secret: string, now: number): SessionCheck {
  const parts = token.split('.');
  if (parts.length !== 2) return { status: 'invalid' };
  const [payload, given] = parts as [string, string];
  const expected = Buffer.from(mac(payload, secret), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { status: 'invalid' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { status: 'invalid' };
  }
  const fields = decoded as { v?: unknown; sub?: unknown; iat?: unknown; exp?: unknown };
  if (
    fields.v !== VERSION ||
    typeof fields.sub !== 'string' ||
    typeof fields.iat !== 'number' ||
    typeof fields.exp !== 'number'
  ) {
    return { status: 'invalid' };
  }
  const claims: SessionClaims = { customerId: fields.sub, issuedAt: fields.iat, expiresAt: fields.exp };
  return now >= claims.expiresAt ? { status: 'expired', claims } : { status: 'valid', claims };
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`${VERSION}.${payload}`).digest('base64url');
}
