// Options with every default merged once. Keys, clientId and session secret not given come from the development
// home (created there if missing) — except in production, where a missing one stops start-up.
import { resolve } from 'node:path';
import { ensureDevHome } from '@minipay/openapi';
import { DEFAULTS, MIN_SESSION_SECRET_LENGTH, defaultDatabasePath, type LogOption, type MerchantServerOptions } from '../config';
import { MerchantServerError } from '../errors';

export interface ResolvedConfig {
  home: string;
  host: string;
  port: number;
  walletUrl: string;
  walletPathPrefix: string;
  /** Undefined until the server listens when not configured (it is then the server's own URL). */
  publicUrl: string | undefined;
  databasePath: string;
  clientId: string;
  merchantPrivateKey: string;
  walletPublicKey: string;
  sessionSecret: string;
  sessionTtlMs: number;
  orderTtlMs: number;
  reconcileAfterMs: number;
  reconcileIntervalMs: number;
  inquiryMinIntervalMs: number;
  notifyToleranceSeconds: number;
  walletTimeoutMs: number;
  merchantName: string;
  production: boolean;
  log: LogOption;
  now: () => Date;
}

const SECRETS = {
  clientId: 'MINIPAY_CLIENT_ID (option clientId)',
  merchantPrivateKey: 'MINIPAY_MERCHANT_PRIVATE_KEY or MINIPAY_MERCHANT_PRIVATE_KEY_FILE (option merchantPrivateKey)',
  walletPublicKey: 'MINIPAY_WALLET_PUBLIC_KEY or MINIPAY_WALLET_PUBLIC_KEY_FILE (option walletPublicKey)',
  sessionSecret: 'MINIPAY_SESSION_SECRET (option sessionSecret)',
} as const;

export function resolveConfig(options: MerchantServerOptions): ResolvedConfig {
  if (typeof options.home !== 'string' || options.home === '') {
    throw new MerchantServerError('home is required: the folder with the keys and merchant.db (MINIPAY_HOME)', { code: 'CONFIG_MISSING' });
  }
  const home = resolve(options.home);
  const production = options.production ?? false;
  const given = {
    clientId: options.clientId,
    merchantPrivateKey: options.merchantPrivateKey,
    walletPublicKey: options.walletPublicKey,
    sessionSecret: options.sessionSecret,
  };
  const missing = (Object.keys(given) as Array<keyof typeof given>).filter((key) => given[key] === undefined);
  if (production) {
    const alsoMissing = options.publicUrl === undefined ? ['MINIPAY_PUBLIC_URL (option publicUrl)'] : [];
    const names = [...missing.map((key) => SECRETS[key]), ...alsoMissing];
    if (names.length > 0) {
      throw new MerchantServerError(`${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} required in production`, {
        code: 'CONFIG_MISSING',
      });
    }
  }
  // Only touch the development home when something has to come from it.
  const dev = missing.length > 0 ? ensureDevHome(home) : undefined;
  const sessionSecret = given.sessionSecret ?? (dev as NonNullable<typeof dev>).sessionSecret;
  if (sessionSecret.length < MIN_SESSION_SECRET_LENGTH) {
    throw new MerchantServerError(`the session secret must be at least ${MIN_SESSION_SECRET_LENGTH} characters (MINIPAY_SESSION_SECRET)`, {
      code: 'CONFIG_INVALID',
    });
  }
  return {
    home,
    host: options.host ?? DEFAULTS.host,
    port: options.port ?? DEFAULTS.port,
    walletUrl: (options.walletUrl ?? DEFAULTS.walletUrl).replace(/\/+$/, ''),
    walletPathPrefix: options.walletPathPrefix ?? DEFAULTS.walletPathPrefix,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    databasePath: options.databasePath ?? defaultDatabasePath(home),
    clientId: given.clientId ?? (dev as NonNullable<typeof dev>).clientId,
    merchantPrivateKey: given.merchantPrivateKey ?? (dev as NonNullable<typeof dev>).merchantPrivateKey,
    walletPublicKey: given.walletPublicKey ?? (dev as NonNullable<typeof dev>).walletPublicKey,
    sessionSecret,
    sessionTtlMs: options.sessionTtlMs ?? DEFAULTS.sessionTtlMs,
    orderTtlMs: options.orderTtlMs ?? DEFAULTS.orderTtlMs,
    reconcileAfterMs: options.reconcileAfterMs ?? DEFAULTS.reconcileAfterMs,
    reconcileIntervalMs: options.reconcileIntervalMs ?? Math.min(DEFAULTS.reconcileIntervalMs, Math.max(options.reconcileAfterMs ?? Infinity, 50)),
    inquiryMinIntervalMs: options.inquiryMinIntervalMs ?? Math.min(DEFAULTS.inquiryMinIntervalMs, options.reconcileAfterMs ?? Infinity),
    notifyToleranceSeconds: options.notifyToleranceSeconds ?? DEFAULTS.notifyToleranceSeconds,
    walletTimeoutMs: options.walletTimeoutMs ?? DEFAULTS.walletTimeoutMs,
    merchantName: options.merchantName ?? DEFAULTS.merchantName,
    production,
    log: options.log ?? true,
    now: options.now ?? (() => new Date()),
  };
}
