import { AuthCodeError } from './errors';
import type { MiniRuntime } from './runtime';
import type { SessionResponse } from '@minipay/contract';

/** Where the session token lives in the mini program's storage. */
export const TOKEN_STORAGE_KEY = 'minipay.session';

/**
 * A stored session is renewed this long before the expiry the server gave (at most half its lifetime),
 * so a call does not set out with a token about to lapse, and a phone clock a little ahead of the
 * server's does not matter.
 */
export const RENEW_BEFORE_EXPIRY_MS = 60 * 1000;

export interface StoredSession {
  token: string;
  customerId: string;
  /** When the server said the token expires (ms since the epoch); absent if it did not say. */
  expiresAt?: number;
  /** From when the app starts a new session instead of using this one (ms since the epoch). */
  renewAt?: number;
}

/**
 * Reads the stored session, ignoring anything that is not one (an older app version's value, say) and a
 * session due for renewal by the server's `expiresAt`. Renewing on the stored expiry rather than only on
 * a 401 matters on hosts whose `my.request` reports an error status without the status itself (a bare
 * error 19): there the 401 cannot be recognised, and the stale token would stay in storage for good.
 */
export function readSession(runtime: MiniRuntime, now: number): StoredSession | undefined {
  const stored = runtime.getStorageSync({ key: TOKEN_STORAGE_KEY });
  const data = stored ? stored.data : undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const { token, customerId, expiresAt, renewAt } = data as Partial<StoredSession>;
  if (typeof token !== 'string' || !token) return undefined;
  if (typeof renewAt === 'number' && renewAt <= now) return undefined;
  return { token, customerId: String(customerId ?? ''), expiresAt, renewAt };
}

export function saveSession(runtime: MiniRuntime, session: SessionResponse, now: number): void {
  const data: StoredSession = { token: session.token, customerId: session.customerId };
  const expiresAt = session.expiresAt === undefined ? NaN : Date.parse(session.expiresAt);
  if (Number.isFinite(expiresAt)) {
    data.expiresAt = expiresAt;
    data.renewAt = expiresAt - Math.min(RENEW_BEFORE_EXPIRY_MS, Math.max(0, expiresAt - now) / 2);
  }
  runtime.setStorageSync({ key: TOKEN_STORAGE_KEY, data });
}

export function clearSession(runtime: MiniRuntime): void {
  runtime.removeStorageSync({ key: TOKEN_STORAGE_KEY });
}

/**
 * `my.getAuthCode({ scopes: 'auth_base' })` as a promise: the silent scope, no consent dialog; the
 * merchant server exchanges the code for the user's `customerId` (applyToken) and keeps the token.
 */
export function getAuthCode(runtime: MiniRuntime): Promise<string> {
  return new Promise((resolve, reject) => {
    try {
      runtime.getAuthCode({
        scopes: 'auth_base',
        success: (result) => {
          if (result && typeof result.authCode === 'string' && result.authCode) resolve(result.authCode);
          else reject(new AuthCodeError('my.getAuthCode answered without an authCode.'));
        },
        fail: (failure) =>
          reject(
            new AuthCodeError(`my.getAuthCode failed${failure?.errorMessage ? `: ${failure.errorMessage}` : '.'}`, {
              cause: failure,
            }),
          ),
      });
    } catch (cause) {
      reject(new AuthCodeError('my.getAuthCode is not available here.', { cause: cause }));
    }
  });
}
