// The user-information capability: auth codes the shim's `my.getAuthCode` hands out, and the tokens
// `applyToken` exchanges them for. Every change is written through to the state store.
import { randomBytes } from 'node:crypto';
import type { StateStore, StoredToken } from './state-store';

/** An auth code works once, within this long. */
export const AUTH_CODE_TTL_MS = 5 * 60_000;
export const ACCESS_TOKEN_TTL_MS = 60 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60_000;

export interface TokenGrant {
  accessToken: string;
  accessTokenExpiryTime: Date;
  refreshToken: string;
  refreshTokenExpiryTime: Date;
  customerId: string;
}

export type GrantResult = { ok: true; grant: TokenGrant } | { ok: false; resultCode: string; message: string };

interface AuthCode {
  authCode: string;
  customerId: string;
  expiresAt: number;
  used: boolean;
}

let customers = 0;

export class AuthorizationBook {
  private readonly codes = new Map<string, AuthCode>();
  private readonly refreshTokens = new Map<string, StoredToken>();

  constructor(
    private readonly now: () => Date,
    private readonly store: StateStore,
  ) {
    for (const code of store.loadAuthCodes()) this.codes.set(code.authCode, code);
    for (const token of store.loadTokens()) this.refreshTokens.set(token.refreshToken, token);
  }

  /** A fresh single-use code for `customerId`, or for a new sandbox customer when none is given. */
  issueCode(customerId?: string): { authCode: string; customerId: string } {
    const customer = customerId ?? newCustomerId();
    const authCode = `sbx_ac_${randomBytes(12).toString('hex')}`;
    const code: AuthCode = {
      authCode,
      customerId: customer,
      expiresAt: this.now().getTime() + AUTH_CODE_TTL_MS,
      used: false,
    };
    this.store.saveAuthCode(code);
    this.codes.set(authCode, code);
    return { authCode, customerId: customer };
  }

  /** `AUTHORIZATION_CODE`: INVALID_CODE, USED_CODE or EXPIRED_CODE when the code cannot be exchanged. */
  exchangeCode(authCode: string): GrantResult {
    const code = this.codes.get(authCode);
    if (!code)
      return { ok: false, resultCode: 'INVALID_CODE', message: 'The auth code is not one the sandbox issued.' };
    if (code.used)
      return {
        ok: false,
        resultCode: 'USED_CODE',
        message: 'The auth code was already used; an auth code works once.',
      };
    code.used = true;
    this.store.saveAuthCode(code);
    if (code.expiresAt <= this.now().getTime()) {
      return { ok: false, resultCode: 'EXPIRED_CODE', message: 'The auth code expired (auth codes live 5 minutes).' };
    }
    return { ok: true, grant: this.grant(code.customerId) };
  }

  /** `REFRESH_TOKEN`: a new pair for the same customer; the old refresh token stops working. */
  refresh(refreshToken: string): GrantResult {
    const token = this.refreshTokens.get(refreshToken);
    if (!token || token.used) {
      return {
        ok: false,
        resultCode: 'INVALID_REFRESH_TOKEN',
        message: 'The refresh token is unknown or was already used.',
      };
    }
    token.used = true;
    this.store.saveToken(token);
    if (token.refreshTokenExpiresAt <= this.now().getTime()) {
      return { ok: false, resultCode: 'EXPIRED_REFRESH_TOKEN', message: 'The refresh token expired.' };
    }
    return { ok: true, grant: this.grant(token.customerId) };
  }

  private grant(customerId: string): TokenGrant {
    const now = this.now().getTime();
    const grant: TokenGrant = {
      accessToken: `sbx_at_${randomBytes(16).toString('hex')}`,
      accessTokenExpiryTime: new Date(now + ACCESS_TOKEN_TTL_MS),
      refreshToken: `sbx_rt_${randomBytes(16).toString('hex')}`,
      refreshTokenExpiryTime: new Date(now + REFRESH_TOKEN_TTL_MS),
      customerId,
    };
    const token: StoredToken = {
      refreshToken: grant.refreshToken,
      accessToken: grant.accessToken,
      accessTokenExpiresAt: grant.accessTokenExpiryTime.getTime(),
      refreshTokenExpiresAt: grant.refreshTokenExpiryTime.getTime(),
      customerId,
      used: false,
    };
    this.store.saveToken(token);
    this.refreshTokens.set(grant.refreshToken, token);
    return grant;
  }
}

function newCustomerId(): string {
  customers += 1;
  return `SBXCUST${String(customers).padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
}
