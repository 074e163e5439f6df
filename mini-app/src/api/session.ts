import { AuthCodeError } from './errors';
import type { MiniRuntime } from './runtime';
import type { SessionResponse } from './types';

/** Where the session token lives in the mini program's storage. */
export const TOKEN_STORAGE_KEY = 'minipay.session';

export interface StoredSession {
  token: string;
  customerId: string;
}

/** Reads the stored session, ignoring anything that is not one (an older app version's value, say). */
export function readSession(runtime: MiniRuntime): StoredSession | undefined {
  const stored = runtime.getStorageSync({ key: TOKEN_STORAGE_KEY });
  const data = stored ? stored.data : undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const { token, customerId } = data as Partial<StoredSession>;
  return typeof token === 'string' && token ? { token, customerId: String(customerId ?? '') } : undefined;
}

export function saveSession(runtime: MiniRuntime, session: SessionResponse): void {
  runtime.setStorageSync({ key: TOKEN_STORAGE_KEY, data: { token: session.token, customerId: session.customerId } });
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
          reject(new AuthCodeError(`my.getAuthCode failed${failure?.errorMessage ? `: ${failure.errorMessage}` : '.'}`, failure)),
      });
    } catch (cause) {
      reject(new AuthCodeError('my.getAuthCode is not available here.', cause));
    }
  });
}
