// Configuration: every setting from `MINIPAY_*` environment variables, defaults for the local stack, and in
// production every setting that the local defaults would otherwise invent required, with a message naming it.
// `loadConfig` is pure (the environment and file reads are passed in) so it is tested without touching the process.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { resolveDevHome } from '@minipay/openapi';
import { MerchantServerError } from './errors';

/** Where log lines go when `log` is an object; anything with `write(line)` (a stream, a test collector). */
export interface LogDestination {
  write(line: string): void;
}

/** `false` silences logs; `true` (default) logs JSON lines at `info` to stdout; an object picks level and destination. */
export type LogOption = boolean | { level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'; stream?: LogDestination };

/** Everything `startMerchantServer` takes. Only `home` is required; the rest defaults for the local stack. */
export interface MerchantServerOptions {
  /** Development state folder (SPEC §6.1): keys, `config.json` (clientId, sessionSecret) and `merchant.db`. */
  home: string;
  /** Interface to listen on. Default `127.0.0.1`. Env `MINIPAY_MERCHANT_HOST`. */
  host?: string;
  /** Port to listen on; `0` picks a free one. Default `8200`. Env `MINIPAY_MERCHANT_PORT`. */
  port?: number;
  /** The wallet's OpenAPI base URL (scheme, host, port). Default `http://127.0.0.1:8210`. Env `MINIPAY_WALLET_URL`. */
  walletUrl?: string;
  /** The wallet's OpenAPI path prefix (GCash `/api`, TNG `/acl/api`). Default `/api/open`. Env `MINIPAY_WALLET_PATH_PREFIX`. */
  walletPathPrefix?: string;
  /**
   * The base URL the wallet reaches this server at; `paymentNotifyUrl` is this plus `/notify/payment`.
   * Default: the server's own URL. Env `MINIPAY_PUBLIC_URL` (required in production).
   */
  publicUrl?: string;
  /** The SQLite file. Default `<home>/merchant.db`. Env `MINIPAY_DATABASE_PATH`. */
  databasePath?: string;
  /** The merchant's `Client-Id` at the wallet. Default from `<home>/config.json`. Env `MINIPAY_CLIENT_ID`. */
  clientId?: string;
  /** The merchant's private key (PEM or bare Base64). Default `<home>/merchant-private.pem`. Env `MINIPAY_MERCHANT_PRIVATE_KEY(_FILE)`. */
  merchantPrivateKey?: string;
  /** The wallet's public key, to verify its answers and notifications. Default `<home>/wallet-public.pem`. Env `MINIPAY_WALLET_PUBLIC_KEY(_FILE)`. */
  walletPublicKey?: string;
  /** HMAC secret of session tokens (at least 32 characters). Default from `<home>/config.json`. Env `MINIPAY_SESSION_SECRET`. */
  sessionSecret?: string;
  /** How long a session token lives. Default 24 h. Env `MINIPAY_SESSION_TTL_SECONDS`. */
  sessionTtlMs?: number;
  /** How long an order can be paid for; also the payment's `paymentExpiryTime`. Default 15 min. Env `MINIPAY_ORDER_TTL_SECONDS`. */
  orderTtlMs?: number;
  /** An order PAYING longer than this is asked about with `inquiryPayment`. Default 60 s. Env `MINIPAY_RECONCILE_AFTER_MS`. */
  reconcileAfterMs?: number;
  /** How often the reconciler runs. Default 30 s. Env `MINIPAY_RECONCILE_INTERVAL_MS`. */
  reconcileIntervalMs?: number;
  /** At most one `inquiryPayment` per order this often, whoever triggers it. Default 5 s (the docs' polling pace). Env `MINIPAY_INQUIRY_MIN_INTERVAL_MS`. */
  inquiryMinIntervalMs?: number;
  /** Accepted clock skew of a notification's `Request-Time`. Default 300 s. Env `MINIPAY_NOTIFY_TOLERANCE_SECONDS`. */
  notifyToleranceSeconds?: number;
  /** Timeout of one OpenAPI call to the wallet. Default 10 s. Env `MINIPAY_WALLET_TIMEOUT_MS`. */
  walletTimeoutMs?: number;
  /** The payee name shown with each order and sent as the merchant's name. Default `Minipay Demo Shop`. Env `MINIPAY_MERCHANT_NAME`. */
  merchantName?: string;
  /** Production: no dev-home generation, every secret and URL must be configured. Env `MINIPAY_ENV=production`. */
  production?: boolean;
  /** Logging; tests pass `false`. Env `MINIPAY_LOG_LEVEL` sets the level. */
  log?: LogOption;
  /** The clock, injectable for tests. */
  now?: () => Date;
}

/** How the environment and files are read; injectable so `loadConfig` stays pure. */
export interface ConfigSources {
  /** Reads a key file named by a `*_FILE` variable. Default `fs.readFileSync(path, 'utf8')`. */
  readFile?: (path: string) => string;
  /** The working directory relative paths resolve against, and where the default home is looked up. Default `process.cwd()`. */
  cwd?: string;
}

/** The variables read, for documentation and for messages. */
export const ENVIRONMENT_VARIABLES = [
  'MINIPAY_ENV',
  'MINIPAY_HOME',
  'MINIPAY_MERCHANT_HOST',
  'MINIPAY_MERCHANT_PORT',
  'MINIPAY_WALLET_URL',
  'MINIPAY_WALLET_PATH_PREFIX',
  'MINIPAY_PUBLIC_URL',
  'MINIPAY_DATABASE_PATH',
  'MINIPAY_CLIENT_ID',
  'MINIPAY_MERCHANT_PRIVATE_KEY',
  'MINIPAY_MERCHANT_PRIVATE_KEY_FILE',
  'MINIPAY_WALLET_PUBLIC_KEY',
  'MINIPAY_WALLET_PUBLIC_KEY_FILE',
  'MINIPAY_SESSION_SECRET',
  'MINIPAY_SESSION_TTL_SECONDS',
  'MINIPAY_ORDER_TTL_SECONDS',
  'MINIPAY_RECONCILE_AFTER_MS',
  'MINIPAY_RECONCILE_INTERVAL_MS',
  'MINIPAY_INQUIRY_MIN_INTERVAL_MS',
  'MINIPAY_NOTIFY_TOLERANCE_SECONDS',
  'MINIPAY_WALLET_TIMEOUT_MS',
  'MINIPAY_MERCHANT_NAME',
  'MINIPAY_LOG_LEVEL',
] as const;

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8200,
  walletUrl: 'http://127.0.0.1:8210',
  walletPathPrefix: '/api/open',
  sessionTtlMs: 24 * 60 * 60 * 1000,
  orderTtlMs: 15 * 60 * 1000,
  reconcileAfterMs: 60_000,
  reconcileIntervalMs: 30_000,
  inquiryMinIntervalMs: 5_000,
  notifyToleranceSeconds: 300,
  walletTimeoutMs: 10_000,
  merchantName: 'Minipay Demo Shop',
} as const;

/** The shortest session secret accepted: 32 characters (≥ 192 bits of a random Base64 string). */
export const MIN_SESSION_SECRET_LENGTH = 32;

/**
 * Reads the configuration from environment variables. Pure: nothing but `env`, `sources.readFile` and (for the
 * default home, when `MINIPAY_HOME` is unset) the folders above `sources.cwd` is read.
 * With `MINIPAY_ENV=production` the settings below must be present, else a `MerchantServerError`
 * (`CONFIG_MISSING`) names every missing variable: `MINIPAY_HOME`, `MINIPAY_PUBLIC_URL`, `MINIPAY_WALLET_URL`,
 * `MINIPAY_CLIENT_ID`, `MINIPAY_MERCHANT_PRIVATE_KEY(_FILE)`, `MINIPAY_WALLET_PUBLIC_KEY(_FILE)`, `MINIPAY_SESSION_SECRET`.
 * A malformed value (a port that is not a number, a URL that does not parse) is `CONFIG_INVALID`, naming it.
 */
export function loadConfig(env: Record<string, string | undefined>, sources: ConfigSources = {}): MerchantServerOptions {
  const readFile = sources.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const cwd = sources.cwd ?? process.cwd();
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const production = value('MINIPAY_ENV') === 'production';
  const missing: string[] = [];
  const required = (name: string, found: unknown): void => {
    if (production && found === undefined) missing.push(name);
  };

  const homeVar = value('MINIPAY_HOME');
  required('MINIPAY_HOME', homeVar);
  const home = homeVar === undefined ? resolveDevHome(cwd, {}) : resolve(cwd, homeVar);

  const walletUrl = optionalUrl('MINIPAY_WALLET_URL', value('MINIPAY_WALLET_URL'));
  required('MINIPAY_WALLET_URL', walletUrl);
  const publicUrl = optionalUrl('MINIPAY_PUBLIC_URL', value('MINIPAY_PUBLIC_URL'));
  required('MINIPAY_PUBLIC_URL', publicUrl);
  const clientId = value('MINIPAY_CLIENT_ID');
  required('MINIPAY_CLIENT_ID', clientId);
  const merchantPrivateKey = keyFrom('MINIPAY_MERCHANT_PRIVATE_KEY', value, readFile, cwd);
  required('MINIPAY_MERCHANT_PRIVATE_KEY (or MINIPAY_MERCHANT_PRIVATE_KEY_FILE)', merchantPrivateKey);
  const walletPublicKey = keyFrom('MINIPAY_WALLET_PUBLIC_KEY', value, readFile, cwd);
  required('MINIPAY_WALLET_PUBLIC_KEY (or MINIPAY_WALLET_PUBLIC_KEY_FILE)', walletPublicKey);
  const sessionSecret = value('MINIPAY_SESSION_SECRET');
  required('MINIPAY_SESSION_SECRET', sessionSecret);
  if (missing.length > 0) {
    throw new MerchantServerError(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required when MINIPAY_ENV=production ` +
        '(production never falls back to generated development keys or local defaults)',
      { code: 'CONFIG_MISSING' },
    );
  }
  if (sessionSecret !== undefined && sessionSecret.length < MIN_SESSION_SECRET_LENGTH) {
    throw new MerchantServerError(
      `MINIPAY_SESSION_SECRET must be at least ${MIN_SESSION_SECRET_LENGTH} characters (e.g. 32 random bytes in Base64)`,
      { code: 'CONFIG_INVALID' },
    );
  }
  if (production && publicUrl !== undefined && !publicUrl.startsWith('https://')) {
    throw new MerchantServerError('MINIPAY_PUBLIC_URL must be an https:// URL in production (the wallet posts notifications to it)', {
      code: 'CONFIG_INVALID',
    });
  }

  const databasePath = value('MINIPAY_DATABASE_PATH');
  const logLevel = value('MINIPAY_LOG_LEVEL');
  if (logLevel !== undefined && !['fatal', 'error', 'warn', 'info', 'debug', 'trace'].includes(logLevel)) {
    throw new MerchantServerError(`MINIPAY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace; got ${JSON.stringify(logLevel)}`, {
      code: 'CONFIG_INVALID',
    });
  }

  const options: MerchantServerOptions = {
    home,
    host: value('MINIPAY_MERCHANT_HOST') ?? DEFAULTS.host,
    port: integer('MINIPAY_MERCHANT_PORT', value('MINIPAY_MERCHANT_PORT'), 0, 65535) ?? DEFAULTS.port,
    walletUrl: walletUrl ?? DEFAULTS.walletUrl,
    walletPathPrefix: pathPrefix(value('MINIPAY_WALLET_PATH_PREFIX') ?? DEFAULTS.walletPathPrefix),
    production,
  };
  if (publicUrl !== undefined) options.publicUrl = publicUrl;
  if (databasePath !== undefined) options.databasePath = isAbsolute(databasePath) ? databasePath : resolve(cwd, databasePath);
  if (clientId !== undefined) options.clientId = clientId;
  if (merchantPrivateKey !== undefined) options.merchantPrivateKey = merchantPrivateKey;
  if (walletPublicKey !== undefined) options.walletPublicKey = walletPublicKey;
  if (sessionSecret !== undefined) options.sessionSecret = sessionSecret;
  const seconds = (name: string): number | undefined => {
    const parsed = integer(name, value(name), 1, 365 * 24 * 3600);
    return parsed === undefined ? undefined : parsed * 1000;
  };
  const millis = (name: string): number | undefined => integer(name, value(name), 1, 24 * 3600 * 1000);
  assign(options, 'sessionTtlMs', seconds('MINIPAY_SESSION_TTL_SECONDS'));
  assign(options, 'orderTtlMs', seconds('MINIPAY_ORDER_TTL_SECONDS'));
  assign(options, 'reconcileAfterMs', millis('MINIPAY_RECONCILE_AFTER_MS'));
  assign(options, 'reconcileIntervalMs', millis('MINIPAY_RECONCILE_INTERVAL_MS'));
  assign(options, 'inquiryMinIntervalMs', millis('MINIPAY_INQUIRY_MIN_INTERVAL_MS'));
  assign(options, 'notifyToleranceSeconds', integer('MINIPAY_NOTIFY_TOLERANCE_SECONDS', value('MINIPAY_NOTIFY_TOLERANCE_SECONDS'), 1, 3600));
  assign(options, 'walletTimeoutMs', millis('MINIPAY_WALLET_TIMEOUT_MS'));
  assign(options, 'merchantName', value('MINIPAY_MERCHANT_NAME'));
  if (logLevel !== undefined) options.log = { level: logLevel as 'info' };
  return options;
}

/** The default database file of a home. */
export function defaultDatabasePath(home: string): string {
  return join(home, 'merchant.db');
}

function assign<K extends keyof MerchantServerOptions>(target: MerchantServerOptions, key: K, found: MerchantServerOptions[K] | undefined): void {
  if (found !== undefined) target[key] = found;
}

function keyFrom(
  name: string,
  value: (name: string) => string | undefined,
  readFile: (path: string) => string,
  cwd: string,
): string | undefined {
  const inline = value(name);
  const file = value(`${name}_FILE`);
  if (inline !== undefined && file !== undefined) {
    throw new MerchantServerError(`set either ${name} or ${name}_FILE, not both`, { code: 'CONFIG_INVALID' });
  }
  if (inline !== undefined) return inline.replace(/\\n/g, '\n');
  if (file === undefined) return undefined;
  const path = resolve(cwd, file);
  try {
    return readFile(path);
  } catch (error) {
    // The path is not secret; the file's content never reaches this message.
    throw new MerchantServerError(`${name}_FILE names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      code: 'CONFIG_INVALID',
      cause: error,
    });
  }
}

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new MerchantServerError(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`, {
      code: 'CONFIG_INVALID',
    });
  }
  return Number(raw);
}

function optionalUrl(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MerchantServerError(`${name} must be an absolute http(s) URL such as http://127.0.0.1:8210; got ${JSON.stringify(raw)}`, {
      code: 'CONFIG_INVALID',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MerchantServerError(`${name} must be an http:// or https:// URL; got ${JSON.stringify(raw)}`, { code: 'CONFIG_INVALID' });
  }
  return raw.replace(/\/+$/, '');
}

function pathPrefix(raw: string): string {
  const trimmed = raw.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
