// The session check every customer route starts with.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../errors';
import { bearerToken, checkSessionToken } from '../session';
import type { AppContext } from './context';

/** The customer of a request's session token. @throws HttpError 401 UNAUTHENTICATED or SESSION_EXPIRED. */
export function authenticate(request: FastifyRequest, context: AppContext): string {
  const token = bearerToken(request.headers.authorization);
  if (token === undefined) {
    throw new HttpError('send the session token from POST /api/session as "Authorization: Bearer <token>"', {
      statusCode: 401,
      code: 'UNAUTHENTICATED',
    });
  }
  const check = checkSessionToken(token, context.config.sessionSecret, context.clock());
  switch (check.status) {
    case 'valid':
      return check.claims.customerId;
    case 'expired':
      throw new HttpError('the session expired; sign in again with POST /api/session', {
        statusCode: 401,
        code: 'SESSION_EXPIRED',
      });
    case 'invalid':
      throw new HttpError('the session token is not valid; sign in again with POST /api/session', {
        statusCode: 401,
        code: 'UNAUTHENTICATED',
      });
  }
}
