// The merchant server's settings, one row each: the option, its environment variable, how its text is parsed, its
// default for the local stack, and whether production requires it. `loadConfig` reads the variables through the
// rows; the resolver applies defaults, checks and production's rules through them. The rows are in resolution
// order: a default may use the settings above it (`databasePath` is `<home>/merchant.db`).
import { isAbsolute, resolve } from 'node:path';
import { ContractError, DEFAULT_HOST, DEFAULT_MERCHANT_PORT, DEFAULT_SANDBOX_URL, parsePort } from '@minipay/contract';
import { devHomePaths, resolveDevHome, type DevHome } from '@minipay/dev-home';
import { DEFAULT_HTTP_LIMITS, MAX_HTTP_TIMEOUT_MS } from '@minipay/fastify-kit';
import type { LogOption, MerchantServerOptions } from '../config';
import { MerchantServerError } from '../errors';
import { databaseUrlProblem } from './database-url';

/** Every option that is a setting (the clock is not configuration). */
export type SettingName = Exclude<keyof MerchantServerOptions, 'now'>;
type Value<K extends SettingName> = NonNullable<MerchantServerOptions[K]>;

/** What a variable is read with. */
export interface ReadContext {
  env: Record<string, string | undefined>;
  cwd: string;
  readFile: (path: string) => string;
}

/** What a default and a check may use: the settings resolved so far, production, and the dev home (created on demand). */
export interface ResolveContext {
  resolved: Partial<{ [K in SettingName]: Value<K> }>;
  production: boolean;
  devHome: () => Promise<DevHome>;
}

export interface Setting<K extends SettingName> {
  /** The environment variable. */
  variable: string;
  /** The value may also come from the file that `<variable>_FILE` names (keys from a secret store). */
  file?: boolean;
  /** Required when `production`: a missing one stops start-up, named with the others. */
  requiredInProduction?: boolean;
  /** ...unless this other setting is given instead (the wallet's keys by version instead of its one key). */
  satisfiedBy?: SettingName;
  /** The variable's value (or undefined when unset or blank), parsed. @throws MerchantServerError CONFIG_INVALID naming it. */
  read(context: ReadContext): Value<K> | undefined;
  /** The default when neither the option nor the variable is given; undefined = none. */
  default(context: ResolveContext): Value<K> | undefined | Promise<Value<K> | undefined>;
  /** Normalises and checks a value from any source (variable, option, dev home). @throws MerchantServerError CONFIG_INVALID. */
  check?(value: Value<K>, context: ResolveContext): Value<K>;
}

/** The shortest session secret accepted: 32 characters (≥ 192 bits of a random Base64 string). */
export const MIN_SESSION_SECRET_LENGTH = 32;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

function invalid(message: string, cause?: unknown): MerchantServerError {
  return new MerchantServerError(message, { code: 'CONFIG_INVALID', ...(cause === undefined ? {} : { cause }) });
}

/** A variable's text: trimmed, and undefined when unset or blank. */
function text(context: ReadContext, variable: string): string | undefined {
  const raw = context.env[variable];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** A row whose variable is parsed by `parse`. */
function setting<K extends SettingName>(
  variable: string,
  parse: (text: string, context: ReadContext) => Value<K>,
  rest: Omit<Setting<K>, 'variable' | 'read'>,
): Setting<K> {
  return {
    variable,
    ...rest,
    read(context) {
      const found = text(context, variable);
      return found === undefined ? undefined : parse(found, context);
    },
  };
}

/**
 * A secret given inline in `variable` or in the file `<variable>_FILE` names (not both): its text and where it came
 * from, or undefined when neither is set.
 */
function inlineOrFile(
  context: ReadContext,
  variable: string,
): { text: string; inline: boolean; from: string } | undefined {
  const inline = text(context, variable);
  const file = text(context, `${variable}_FILE`);
  if (inline !== undefined && file !== undefined) throw invalid(`set either ${variable} or ${variable}_FILE, not both`);
  if (inline !== undefined) return { text: inline, inline: true, from: variable };
  if (file === undefined) return undefined;
  const path = resolve(context.cwd, file);
  try {
    return { text: context.readFile(path), inline: false, from: `${variable}_FILE (${path})` };
  } catch (error) {
    // The path is not secret; the file's content never reaches this message.
    throw invalid(
      `${variable}_FILE names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      error,
    );
  }
}

/** A key: inline (a one-line PEM's `\n` escapes become newlines) or from the file `<variable>_FILE` names. */
function key<K extends 'merchantPrivateKey' | 'walletPublicKey'>(
  variable: string,
  fromDevHome: (dev: DevHome) => string,
): Setting<K> {
  return {
    variable,
    file: true,
    requiredInProduction: true,
    read(context) {
      const found = inlineOrFile(context, variable);
      if (found === undefined) return undefined;
      return (found.inline ? found.text.replace(/\\n/g, '\n') : found.text) as Value<K>;
    },
    default: async ({ devHome }) => fromDevHome(await devHome()) as Value<K>,
  };
}

/** A wallet key version as `Signature` headers name it: digits, or a token of letters, digits, ".", "_", "-". */
export const KEY_VERSION = /^[A-Za-z0-9._-]{1,32}$/;

/** The highest version of `keys` (numeric versions compare as numbers, others as text): the wallet's latest key. */
export function newestVersion(keys: Record<string, string>): string {
  const versions = Object.keys(keys).sort((a, b) =>
    /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b),
  );
  return versions[versions.length - 1] as string;
}

/** The key of the highest version. */
export function newestKey(keys: Record<string, string>): string {
  return keys[newestVersion(keys)] as string;
}

/**
 * `MINIPAY_WALLET_PUBLIC_KEYS`: a JSON object of version → public key (PEM, `\n` escapes allowed, or bare Base64),
 * e.g. `{"1":"MIIBIj...","2":"MIIBIj..."}`; or `MINIPAY_WALLET_PUBLIC_KEYS_FILE`, a JSON file of the same.
 */
function walletKeys(): Setting<'walletPublicKeys'> {
  const variable = 'MINIPAY_WALLET_PUBLIC_KEYS';
  const parse = (raw: string, from: string): Record<string, string> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalid(
        `${from} must be a JSON object of key version → public key, e.g. {"1":"MIIBIj...","2":"MIIBIj..."}`,
      );
    }
    return parsed as Record<string, string>;
  };
  return {
    variable,
    file: true,
    read(context) {
      const found = inlineOrFile(context, variable);
      return found === undefined ? undefined : parse(found.text, found.from);
    },
    // None given: the resolver takes the one key, or the dev home's versions.
    default: () => undefined,
    check: (keys) => {
      const versions = Object.keys(keys);
      if (versions.length === 0) throw invalid(`${variable} (option walletPublicKeys) names no key`);
      for (const version of versions) {
        if (!KEY_VERSION.test(version)) {
          throw invalid(
            `${variable} (option walletPublicKeys): ${JSON.stringify(version)} is not a key version (digits, or letters, digits, ".", "_", "-")`,
          );
        }
        const value = keys[version];
        if (typeof value !== 'string' || value.trim() === '')
          throw invalid(`${variable} (option walletPublicKeys): version ${version} has no key`);
      }
      return Object.fromEntries(versions.map((version) => [version, (keys[version] as string).replace(/\\n/g, '\n')]));
    },
  };
}

function integer(variable: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw invalid(`${variable} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

const seconds = (variable: string) => (raw: string) => integer(variable, raw, 1, 365 * 24 * 3600) * 1000;
const millis = (variable: string) => (raw: string) => integer(variable, raw, 1, 24 * 3600 * 1000);
/** A timeout where 0 turns it off (the HTTP limits). */
const millisOrOff = (variable: string) => (raw: string) => integer(variable, raw, 0, MAX_HTTP_TIMEOUT_MS);
const path = (raw: string, context: ReadContext) => (isAbsolute(raw) ? raw : resolve(context.cwd, raw));

function httpUrl(variable: string) {
  return (raw: string): string => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalid(
        `${variable} must be an absolute http(s) URL such as ${DEFAULT_SANDBOX_URL}; got ${JSON.stringify(raw)}`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw invalid(`${variable} must be an http:// or https:// URL; got ${JSON.stringify(raw)}`);
    return raw;
  };
}

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/** A PostgreSQL URL; the message of a bad one never shows its password. */
function databaseUrl(raw: string): string {
  const problem = databaseUrlProblem(raw);
  if (problem !== undefined) throw invalid(`MINIPAY_DATABASE_URL (option databaseUrl) ${problem}`);
  return raw;
}

/** The table. Its keys are every setting of `MerchantServerOptions` (a missing row is a type error). */
export const SETTINGS: { readonly [K in SettingName]: Setting<K> } = {
  production: setting('MINIPAY_ENV', (raw) => raw === 'production', { default: () => false }),
  home: setting('MINIPAY_HOME', path, {
    requiredInProduction: true,
    // The folder the process runs in, not the variable again: loadConfig has read MINIPAY_HOME already.
    default: () => resolveDevHome(process.cwd(), {}),
    check: (home) => {
      if (typeof home !== 'string' || home === '')
        throw invalid('home must be a folder: the one with the keys and merchant.db (MINIPAY_HOME)');
      return resolve(home);
    },
  }),
  host: setting('MINIPAY_MERCHANT_HOST', (raw) => raw, { default: () => DEFAULT_HOST }),
  port: setting(
    'MINIPAY_MERCHANT_PORT',
    (raw) => {
      try {
        return parsePort(raw, 'MINIPAY_MERCHANT_PORT');
      } catch (error) {
        if (error instanceof ContractError) throw invalid(error.message, error);
        throw error;
      }
    },
    { default: () => DEFAULT_MERCHANT_PORT },
  ),
  // What a client may hold: idle sockets, slow headers and bodies, keep-alive, connections at once (0 = off).
  connectionTimeoutMs: setting(
    'MINIPAY_MERCHANT_CONNECTION_TIMEOUT_MS',
    millisOrOff('MINIPAY_MERCHANT_CONNECTION_TIMEOUT_MS'),
    {
      default: () => DEFAULT_HTTP_LIMITS.connectionTimeoutMs,
    },
  ),
  requestTimeoutMs: setting('MINIPAY_MERCHANT_REQUEST_TIMEOUT_MS', millisOrOff('MINIPAY_MERCHANT_REQUEST_TIMEOUT_MS'), {
    default: () => DEFAULT_HTTP_LIMITS.requestTimeoutMs,
  }),
  headersTimeoutMs: setting('MINIPAY_MERCHANT_HEADERS_TIMEOUT_MS', millisOrOff('MINIPAY_MERCHANT_HEADERS_TIMEOUT_MS'), {
    default: ({ resolved }) =>
      resolved.requestTimeoutMs === 0
        ? DEFAULT_HTTP_LIMITS.headersTimeoutMs
        : Math.min(DEFAULT_HTTP_LIMITS.headersTimeoutMs, resolved.requestTimeoutMs as number),
    check: (ms, { resolved }) => {
      const request = resolved.requestTimeoutMs as number;
      if (request > 0 && ms > request) {
        throw invalid(
          `MINIPAY_MERCHANT_HEADERS_TIMEOUT_MS (option headersTimeoutMs) must not be longer than MINIPAY_MERCHANT_REQUEST_TIMEOUT_MS (option requestTimeoutMs): the headers are part of the request; got ${ms} > ${request}`,
        );
      }
      return ms;
    },
  }),
  keepAliveTimeoutMs: setting(
    'MINIPAY_MERCHANT_KEEP_ALIVE_TIMEOUT_MS',
    millisOrOff('MINIPAY_MERCHANT_KEEP_ALIVE_TIMEOUT_MS'),
    { default: () => DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs },
  ),
  maxConnections: setting(
    'MINIPAY_MERCHANT_MAX_CONNECTIONS',
    (raw) => integer('MINIPAY_MERCHANT_MAX_CONNECTIONS', raw, 0, 1_000_000),
    { default: () => DEFAULT_HTTP_LIMITS.maxConnections },
  ),
  walletUrl: setting('MINIPAY_WALLET_URL', httpUrl('MINIPAY_WALLET_URL'), {
    requiredInProduction: true,
    default: () => DEFAULT_SANDBOX_URL,
    check: withoutTrailingSlash,
  }),
  walletPathPrefix: setting('MINIPAY_WALLET_PATH_PREFIX', (raw) => raw, {
    default: () => '/api/open',
    check: (prefix) => {
      const trimmed = prefix.replace(/\/+$/, '');
      if (trimmed === '') return '';
      return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
    },
  }),
  publicUrl: setting('MINIPAY_PUBLIC_URL', httpUrl('MINIPAY_PUBLIC_URL'), {
    requiredInProduction: true,
    // None: the server's own URL, known once it listens.
    default: () => undefined,
    check: (url, { production }) => {
      if (production && !url.startsWith('https://')) {
        throw invalid(
          'MINIPAY_PUBLIC_URL must be an https:// URL in production (the wallet posts notifications to it)',
        );
      }
      return withoutTrailingSlash(url);
    },
  }),
  // PostgreSQL when set (several instances on one database); otherwise the SQLite file below.
  databaseUrl: setting('MINIPAY_DATABASE_URL', (raw) => databaseUrl(raw), {
    default: () => undefined,
    check: (url) => databaseUrl(url),
  }),
  databasePath: setting('MINIPAY_DATABASE_PATH', path, {
    // None with PostgreSQL: there is no file.
    default: ({ resolved }) =>
      resolved.databaseUrl === undefined ? devHomePaths(resolved.home as string).database : undefined,
    check: (file, { resolved }) => {
      if (resolved.databaseUrl !== undefined) {
        throw invalid(
          'set either MINIPAY_DATABASE_URL (PostgreSQL) or MINIPAY_DATABASE_PATH (an SQLite file), not both',
        );
      }
      return file;
    },
  }),
  databasePoolSize: setting(
    'MINIPAY_DATABASE_POOL_SIZE',
    (raw) => integer('MINIPAY_DATABASE_POOL_SIZE', raw, 1, 1000),
    { default: () => 10 },
  ),
  databaseStatementTimeoutMs: setting(
    'MINIPAY_DATABASE_STATEMENT_TIMEOUT_MS',
    millis('MINIPAY_DATABASE_STATEMENT_TIMEOUT_MS'),
    { default: () => 5_000 },
  ),
  databaseConnectTimeoutMs: setting(
    'MINIPAY_DATABASE_CONNECT_TIMEOUT_MS',
    millis('MINIPAY_DATABASE_CONNECT_TIMEOUT_MS'),
    {
      default: () => 5_000,
    },
  ),
  clientId: setting('MINIPAY_CLIENT_ID', (raw) => raw, {
    requiredInProduction: true,
    default: async ({ devHome }) => (await devHome()).clientId,
  }),
  merchantPrivateKey: key('MINIPAY_MERCHANT_PRIVATE_KEY', (dev) => dev.merchantPrivateKey),
  // Several wallet keys by version (rotation), instead of the one below: the resolver derives the set either way.
  walletPublicKeys: walletKeys(),
  walletPublicKey: {
    ...key<'walletPublicKey'>('MINIPAY_WALLET_PUBLIC_KEY', (dev) => dev.walletPublicKey),
    satisfiedBy: 'walletPublicKeys',
    // With a set of versions, the newest is the one answers are verified with (see resolve-config.ts).
    default: async ({ resolved, devHome }) =>
      resolved.walletPublicKeys === undefined
        ? (await devHome()).walletPublicKey
        : newestKey(resolved.walletPublicKeys),
  },
  sessionSecret: setting('MINIPAY_SESSION_SECRET', (raw) => raw, {
    requiredInProduction: true,
    default: async ({ devHome }) => (await devHome()).sessionSecret,
    check: (secret) => {
      // Never quoted: the message names the setting only.
      if (secret.length < MIN_SESSION_SECRET_LENGTH) {
        throw invalid(
          `MINIPAY_SESSION_SECRET (option sessionSecret) must be at least ${MIN_SESSION_SECRET_LENGTH} characters (e.g. 32 random bytes in Base64)`,
        );
      }
      return secret;
    },
  }),
  sessionTtlMs: setting('MINIPAY_SESSION_TTL_SECONDS', seconds('MINIPAY_SESSION_TTL_SECONDS'), {
    default: () => 24 * 60 * 60 * 1000,
  }),
  orderTtlMs: setting('MINIPAY_ORDER_TTL_SECONDS', seconds('MINIPAY_ORDER_TTL_SECONDS'), {
    default: () => 15 * 60 * 1000,
  }),
  reconcileAfterMs: setting('MINIPAY_RECONCILE_AFTER_MS', millis('MINIPAY_RECONCILE_AFTER_MS'), {
    default: () => 60_000,
  }),
  // A short reconcileAfterMs (tests, demos) would wait for a 30 s timer: run at least that often, not more than every 50 ms.
  reconcileIntervalMs: setting('MINIPAY_RECONCILE_INTERVAL_MS', millis('MINIPAY_RECONCILE_INTERVAL_MS'), {
    default: ({ resolved }) => Math.min(30_000, Math.max(resolved.reconcileAfterMs as number, 50)),
  }),
  inquiryMinIntervalMs: setting('MINIPAY_INQUIRY_MIN_INTERVAL_MS', millis('MINIPAY_INQUIRY_MIN_INTERVAL_MS'), {
    default: ({ resolved }) => Math.min(5_000, resolved.reconcileAfterMs as number),
  }),
  notifyToleranceSeconds: setting(
    'MINIPAY_NOTIFY_TOLERANCE_SECONDS',
    (raw) => integer('MINIPAY_NOTIFY_TOLERANCE_SECONDS', raw, 1, 3600),
    { default: () => 300 },
  ),
  walletTimeoutMs: setting('MINIPAY_WALLET_TIMEOUT_MS', millis('MINIPAY_WALLET_TIMEOUT_MS'), { default: () => 10_000 }),
  // The operator API's secret. In production there is no default: unset, the /admin API refuses every request.
  adminToken: setting('MINIPAY_ADMIN_TOKEN', (raw) => raw, {
    default: async ({ production, devHome }) => (production ? undefined : (await devHome()).adminToken),
    check: (token) => {
      // Never quoted: the message names the setting only.
      if (token.length < MIN_SESSION_SECRET_LENGTH) {
        throw invalid(
          `MINIPAY_ADMIN_TOKEN (option adminToken) must be at least ${MIN_SESSION_SECRET_LENGTH} characters (e.g. 32 random bytes in Base64)`,
        );
      }
      return token;
    },
  }),
  autoRefund: setting(
    'MINIPAY_AUTO_REFUND',
    (raw) => {
      if (raw !== '0' && raw !== '1')
        throw invalid(
          `MINIPAY_AUTO_REFUND must be 1 (refund money received for a closed order) or 0; got ${JSON.stringify(raw)}`,
        );
      return raw === '1';
    },
    { default: () => true },
  ),
  // The merchant's catalog file; none: the demo catalog. Read and checked when the server starts (catalog-file.ts).
  catalogPath: setting('MINIPAY_CATALOG', path, { default: () => undefined }),
  // How long one delivery to the fulfilment hook may take before another instance (or a restart) may try it again.
  fulfilmentLeaseMs: setting('MINIPAY_FULFILMENT_LEASE_MS', millis('MINIPAY_FULFILMENT_LEASE_MS'), {
    default: () => 60_000,
  }),
  // The signed webhook each fulfilment event is posted to (fulfilment-webhook.ts); none: only a function hook, if any.
  fulfilmentUrl: setting('MINIPAY_FULFILMENT_URL', httpUrl('MINIPAY_FULFILMENT_URL'), {
    default: () => undefined,
    check: (url, { production }) => {
      httpUrl('MINIPAY_FULFILMENT_URL (option fulfilmentUrl)')(url);
      // The body is signed, not encrypted: the orders it carries cross the network in clear over http.
      if (production && !url.startsWith('https://')) {
        throw invalid(
          'MINIPAY_FULFILMENT_URL (option fulfilmentUrl) must be an https:// URL in production (the events carry orders)',
        );
      }
      return url;
    },
  }),
  // Its HMAC key. After the URL: its default is where "the URL needs a secret" is said, as it runs only when none is given.
  fulfilmentSecret: {
    variable: 'MINIPAY_FULFILMENT_SECRET',
    // Or from the file MINIPAY_FULFILMENT_SECRET_FILE names (a secret store); surrounding space is not part of it.
    file: true,
    read: (context) => inlineOrFile(context, 'MINIPAY_FULFILMENT_SECRET')?.text.trim(),
    default: ({ resolved }) => {
      if (resolved.fulfilmentUrl === undefined) return undefined;
      throw new MerchantServerError(
        `${describeSetting('fulfilmentSecret')} is required with MINIPAY_FULFILMENT_URL: every webhook request is signed with it`,
        { code: 'CONFIG_MISSING' },
      );
    },
    check: (secret, { resolved }) => {
      // Never quoted: the messages name the setting only.
      if (resolved.fulfilmentUrl === undefined) {
        throw invalid(
          `${describeSetting('fulfilmentSecret')} is set but MINIPAY_FULFILMENT_URL (option fulfilmentUrl) is not: set the URL the events are posted to, or remove the secret`,
        );
      }
      if (secret.length < MIN_SESSION_SECRET_LENGTH) {
        throw invalid(
          `${describeSetting('fulfilmentSecret')} must be at least ${MIN_SESSION_SECRET_LENGTH} characters (e.g. 32 random bytes in Base64)`,
        );
      }
      return secret;
    },
  },
  // One webhook attempt; shorter than the lease, so an attempt ends before another instance may make the next.
  fulfilmentTimeoutMs: setting('MINIPAY_FULFILMENT_TIMEOUT_MS', millis('MINIPAY_FULFILMENT_TIMEOUT_MS'), {
    default: ({ resolved }) => Math.min(10_000, Math.floor((resolved.fulfilmentLeaseMs as number) / 2)),
    check: (ms, { resolved }) => {
      const lease = resolved.fulfilmentLeaseMs as number;
      if (ms >= lease) {
        throw invalid(
          `MINIPAY_FULFILMENT_TIMEOUT_MS (option fulfilmentTimeoutMs) must be shorter than MINIPAY_FULFILMENT_LEASE_MS (option fulfilmentLeaseMs): an attempt must end before its lease does; got ${ms} >= ${lease}`,
        );
      }
      return ms;
    },
  }),
  merchantName: setting('MINIPAY_MERCHANT_NAME', (raw) => raw, { default: () => 'Minipay Demo Shop' }),
  log: setting(
    'MINIPAY_LOG_LEVEL',
    (raw): LogOption => {
      if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
        throw invalid(`MINIPAY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(raw)}`);
      }
      return { level: raw as (typeof LOG_LEVELS)[number] };
    },
    { default: () => true },
  ),
};

/** How a setting is named in a message: its variable (both for a key) and its option. */
export function describeSetting(name: SettingName): string {
  const { variable, file } = SETTINGS[name];
  return `${file ? `${variable} or ${variable}_FILE` : variable} (option ${name})`;
}
