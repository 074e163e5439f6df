// POST /api/session { authCode } → { token, customerId, expiresAt }. The auth code (from `my.getAuthCode`) is
// exchanged with the wallet's `applyToken`; the wallet's access token is stored here and never sent back.
import type { SessionResponse } from '@minipay/contract';
import type { FastifyInstance } from 'fastify';
import { parseIsoTime } from '@minipay/openapi';
import { HttpError } from '../errors';
import type { AppContext } from '../internal/context';
import { errorSummary } from '../internal/error-summary';
import { unreachableMessage, unreachableReason } from '../internal/wallet-reachability';
import { sessionBodySchema, type SessionBody } from '../schemas';
import { createSessionToken } from '../session';

export function registerSessionRoutes(app: FastifyInstance, context: AppContext): void {
  app.post<{ Body: SessionBody }>('/api/session', { schema: { body: sessionBodySchema } }, async (request) => {
    let result;
    try {
      result = await context.wallet.applyToken({ grantType: 'AUTHORIZATION_CODE', authCode: request.body.authCode });
    } catch (error) {
      request.log.warn({ err: errorSummary(error) }, 'applyToken: no usable answer from the wallet');
      // Nothing answering at the wallet's URL is fixed by the configuration, not by waiting.
      const unreachable = unreachableReason(error);
      const message = unreachable
        ? unreachableMessage(context.config.walletUrl, unreachable)
        : 'the wallet did not answer; try again in a moment';
      throw new HttpError(message, {
        statusCode: 503,
        code: 'WALLET_UNAVAILABLE',
      });
    }
    if (result.status === 'F') {
      throw new HttpError(result.message || 'the wallet refused the auth code; get a new one with my.getAuthCode', {
        statusCode: 401,
        code: result.code,
      });
    }
    const { customerId, accessToken } = result.data;
    if (result.status !== 'S' || !customerId || !accessToken) {
      request.log.warn(
        { resultStatus: result.status, resultCode: result.code },
        'applyToken: no customer in the answer',
      );
      throw new HttpError('the wallet did not confirm the sign-in; try again in a moment', {
        statusCode: 503,
        code: 'WALLET_UNAVAILABLE',
      });
    }
    const now = context.clock();
    await context.storage.saveCustomerToken({
      customerId,
      accessToken,
      accessTokenExpiresAt: parseTime(result.data.accessTokenExpiryTime),
      refreshToken: result.data.refreshToken ?? null,
      refreshTokenExpiresAt: parseTime(result.data.refreshTokenExpiryTime),
      at: now,
    });
    const expiresAt = now + context.config.sessionTtlMs;
    const token = createSessionToken({ customerId, issuedAt: now, expiresAt }, context.config.sessionSecret);
    const answer: SessionResponse = { token, customerId, expiresAt: new Date(expiresAt).toISOString() };
    return answer;
  });
}

/** A token's expiry as the wallet wrote it; one it did not write as a real time is treated as none given. */
function parseTime(value: string | undefined): number | null {
  if (value === undefined) return null;
  return parseIsoTime(value) ?? null;
}
