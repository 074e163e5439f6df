// The operator check every `/admin/...` route starts with: `Authorization: Bearer <MINIPAY_ADMIN_TOKEN>`, compared in
// constant time (the SHA-256 digests of both, so neither their lengths nor a common prefix show in the timing).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../errors';
import { bearerToken } from '../session';
import type { AppContext } from './context';

/** @throws HttpError 503 ADMIN_DISABLED (no token configured), 401 UNAUTHENTICATED (missing or wrong token). */
export function authenticateAdmin(request: FastifyRequest, context: AppContext): void {
  const expected = context.config.adminToken;
  if (expected === undefined) {
    throw new HttpError('the operator API is off: set MINIPAY_ADMIN_TOKEN (at least 32 characters) to turn it on', {
      statusCode: 503,
      code: 'ADMIN_DISABLED',
    });
  }
  const token = bearerToken(request.headers.authorization);
  if (token === undefined || !sameSecret(token, expected)) {
    throw new HttpError('send the operator token (MINIPAY_ADMIN_TOKEN) as "Authorization: Bearer <token>"', {
      statusCode: 401,
      code: 'UNAUTHENTICATED',
    });
  }
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
