// The user-information capability: auth codes the shim's `my.getAuthCode` hands out, and the tokens
// `applyToken` exchanges them for. In memory, like everything in the sandbox.
import { randomBytes } from 'node:crypto';

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
  customerId: string;
  expiresAt: number;
  used: boolean;
}

let customers = 0;

export class AuthorizationBook {
  private readonly codes = new Map<string, AuthCode>();
  private readonly refreshTokens = new Map<string, { customerId: string; expiresAt: number; used: boolean }>();

  constructor(private readonly now: () => Date) {}

  /** A fresh single-use code for `customerId`, or for a new sandbox customer when none is given. */
  issueCode(customerId?: string): { authCode: string; customerId: string } {
    const customer = customerId ?? newCustomerId();
    const authCode = `sbx_ac_${randomBytes(12).toString('hex')}`;
    this.codes.set(authCode, { customerId: customer, expiresAt: this.now().getTime() + AUTH_CODE_TTL_MS, used: false });
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
    if (token.expiresAt <= this.now().getTime()) {
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
    this.refreshTokens.set(grant.refreshToken, {
      customerId,
      expiresAt: grant.refreshTokenExpiryTime.getTime(),
      used: false,
    });
    return grant;
  }
}

function newCustomerId(): string {
  customers += 1;
  return `SBXCUST${String(customers).padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
}
