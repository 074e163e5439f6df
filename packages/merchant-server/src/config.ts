// Configuration, read once: `loadConfig` turns `MINIPAY_*` environment variables into the options of
// `startMerchantServer` and does nothing else (no defaults, no production rules); the server's one resolver
// (`internal/resolve-config.ts`) applies those. Both work from one table of settings (`internal/settings.ts`):
// adding a setting is one row there and its documented field here.
import { readFileSync } from 'node:fs';
import { SETTINGS, type SettingName } from './internal/settings';

/** Where log lines go when `log` is an object; anything with `write(line)` (a stream, a test collector). */
export interface LogDestination {
  write(line: string): void;
}

/**
 * `false` silences logs; `true` (default) logs JSON lines at `info` to stdout; an object picks level, destination and
 * format: `json` (default: one JSON object per line, for log collectors) or `lines` (one readable line per entry and
 * one per request, as `minipay-merchant` prints in development).
 */
export type LogOption =
  | boolean
  | {
      level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
      stream?: LogDestination;
      format?: 'json' | 'lines';
    };

/** Everything `startMerchantServer` takes. Each setting defaults for the local stack; production requires some. */
export interface MerchantServerOptions {
  /**
   * Development state folder (docs/PROTOCOL.md §8): keys, `config.json` (clientId, sessionSecret) and `merchant.db`. Default
   * `.minipay/` at the repo root (the nearest folder above the working directory with `mini.project.json`).
   * Env `MINIPAY_HOME` (required in production).
   */
  home?: string;
  /** Interface to listen on. Default `127.0.0.1`. Env `MINIPAY_MERCHANT_HOST`. */
  host?: string;
  /** Port to listen on; `0` picks a free one. Default `8200`. Env `MINIPAY_MERCHANT_PORT`. */
  port?: number;
  /** A socket with no traffic for this long is closed (idle before or between requests); 0 = never. Default 30 s. Env `MINIPAY_MERCHANT_CONNECTION_TIMEOUT_MS`. */
  connectionTimeoutMs?: number;
  /** A request, body included, must arrive within this; else `408` and the socket closes; 0 = never. Default 30 s. Env `MINIPAY_MERCHANT_REQUEST_TIMEOUT_MS`. */
  requestTimeoutMs?: number;
  /** A request's headers must arrive within this (at most `requestTimeoutMs`); 0 = never. Default 10 s. Env `MINIPAY_MERCHANT_HEADERS_TIMEOUT_MS`. */
  headersTimeoutMs?: number;
  /** An idle keep-alive socket closes this long after its last answer (behind a balancer: more than its idle timeout); 0 = never. Default 5 s. Env `MINIPAY_MERCHANT_KEEP_ALIVE_TIMEOUT_MS`. */
  keepAliveTimeoutMs?: number;
  /** Connections open at once at most; more are closed as they arrive; 0 = no cap. Default 500. Env `MINIPAY_MERCHANT_MAX_CONNECTIONS`. */
  maxConnections?: number;
  /** The wallet's OpenAPI base URL (scheme, host, port). Default `http://127.0.0.1:8210`. Env `MINIPAY_WALLET_URL` (required in production). */
  walletUrl?: string;
  /** The wallet's OpenAPI path prefix (GCash `/api`, TNG `/acl/api`). Default `/api/open`. Env `MINIPAY_WALLET_PATH_PREFIX`. */
  walletPathPrefix?: string;
  /**
   * The base URL the wallet reaches this server at; `paymentNotifyUrl` is this plus `/notify/payment`.
   * Default: the server's own URL. Env `MINIPAY_PUBLIC_URL` (required in production, and `https://` there).
   */
  publicUrl?: string;
  /**
   * A PostgreSQL database (`postgres://user:password@host:5432/database`) instead of the SQLite file: what several
   * instances of the server share. Default none (SQLite). Env `MINIPAY_DATABASE_URL`.
   */
  databaseUrl?: string;
  /** The SQLite file, when there is no `databaseUrl`. Default `<home>/merchant.db`. Env `MINIPAY_DATABASE_PATH`. */
  databasePath?: string;
  /** PostgreSQL: connections this instance keeps at most. Default 10. Env `MINIPAY_DATABASE_POOL_SIZE`. */
  databasePoolSize?: number;
  /** PostgreSQL: the server cancels a statement running longer than this. Default 5 s. Env `MINIPAY_DATABASE_STATEMENT_TIMEOUT_MS`. */
  databaseStatementTimeoutMs?: number;
  /** PostgreSQL: how long to wait for a connection (to the server, or a free one of the pool). Default 5 s. Env `MINIPAY_DATABASE_CONNECT_TIMEOUT_MS`. */
  databaseConnectTimeoutMs?: number;
  /** The merchant's `Client-Id` at the wallet. Default from `<home>/config.json`. Env `MINIPAY_CLIENT_ID` (required in production). */
  clientId?: string;
  /** The merchant's private key (PEM or bare Base64). Default `<home>/merchant-private.pem`. Env `MINIPAY_MERCHANT_PRIVATE_KEY(_FILE)` (required in production). */
  merchantPrivateKey?: string;
  /**
   * The wallet's public keys by version (`{ "1": "<PEM or Base64>", "2": "..." }`): a notification is verified with the
   * key its `Signature` header's `keyVersion` names, and refused when it names none of these; answers are verified with
   * the newest. For key rotation; instead of `walletPublicKey`, not with it. Default none (the one key, as version 1).
   * Env `MINIPAY_WALLET_PUBLIC_KEYS(_FILE)`: that object as JSON.
   */
  walletPublicKeys?: Record<string, string>;
  /** The wallet's public key, to verify its answers and notifications. Default `<home>/wallet-public.pem`. Env `MINIPAY_WALLET_PUBLIC_KEY(_FILE)` (required in production). */
  walletPublicKey?: string;
  /** HMAC secret of session tokens (at least 32 characters). Default from `<home>/config.json`. Env `MINIPAY_SESSION_SECRET` (required in production). */
  sessionSecret?: string;
  /** How long a session token lives. Default 24 h. Env `MINIPAY_SESSION_TTL_SECONDS`. */
  sessionTtlMs?: number;
  /** How long an order can be paid for; also the payment's `paymentExpiryTime`. Default 15 min. Env `MINIPAY_ORDER_TTL_SECONDS`. */
  orderTtlMs?: number;
  /** An order PAYING longer than this is asked about with `inquiryPayment`. Default 60 s. Env `MINIPAY_RECONCILE_AFTER_MS`. */
  reconcileAfterMs?: number;
  /** How often the reconciler runs. Default 30 s (or `reconcileAfterMs`, if smaller). Env `MINIPAY_RECONCILE_INTERVAL_MS`. */
  reconcileIntervalMs?: number;
  /** At most one `inquiryPayment` per order this often, whoever triggers it. Default 5 s (or `reconcileAfterMs`, if smaller). Env `MINIPAY_INQUIRY_MIN_INTERVAL_MS`. */
  inquiryMinIntervalMs?: number;
  /** Accepted clock skew of a notification's `Request-Time`. Default 300 s. Env `MINIPAY_NOTIFY_TOLERANCE_SECONDS`. */
  notifyToleranceSeconds?: number;
  /** Timeout of one OpenAPI call to the wallet. Default 10 s. Env `MINIPAY_WALLET_TIMEOUT_MS`. */
  walletTimeoutMs?: number;
  /** The payee name shown with each order and sent as the merchant's name. Default `Minipay Demo Shop`. Env `MINIPAY_MERCHANT_NAME`. */
  merchantName?: string;
  /**
   * The operator API's secret (`Authorization: Bearer <token>` on `/admin/...`, and `npm run refund`), at least 32
   * characters. Default: generated into `<home>/admin-token`; in production none, and the operator API refuses every
   * request until it is set. Env `MINIPAY_ADMIN_TOKEN`.
   */
  adminToken?: string;
  /**
   * Refund money the wallet reports received for an order already closed (cancelled, expired, failed). Default `true`;
   * `false` only logs it at error level for a person. Env `MINIPAY_AUTO_REFUND` (`1` / `0`).
   */
  autoRefund?: boolean;
  /**
   * The merchant's catalog: a JSON file `{ "currency": "PHP", "products": [{ "id", "name", "description"?, "price":
   * "1250.00", "imageUrl"? }] }`, read and checked at start-up. Default: the demo catalog (USD). Env `MINIPAY_CATALOG`.
   */
  catalogPath?: string;
  /**
   * How long one call of the fulfilment hook may take: an event whose hook has not returned by then (its process
   * died) is given to another instance, or to the restarted one. Default 60 s. Env `MINIPAY_FULFILMENT_LEASE_MS`.
   */
  fulfilmentLeaseMs?: number;
  /**
   * Where each fulfilment event is posted, signed (see "Fulfilment webhook" in the README), instead of a `fulfilment`
   * function given to `startMerchantServer` (not with one). Default none. Env `MINIPAY_FULFILMENT_URL` (`https://` in production).
   */
  fulfilmentUrl?: string;
  /**
   * The HMAC key of the webhook's `Minipay-Signature`, shared with its receiver; at least 32 characters; required with
   * `fulfilmentUrl`. Env `MINIPAY_FULFILMENT_SECRET(_FILE)`.
   */
  fulfilmentSecret?: string;
  /**
   * One webhook attempt, answer included, is abandoned (and retried later) after this; shorter than
   * `fulfilmentLeaseMs`. Default 10 s (or half the lease, if less). Env `MINIPAY_FULFILMENT_TIMEOUT_MS`.
   */
  fulfilmentTimeoutMs?: number;
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
  /** The working directory relative paths resolve against. Default `process.cwd()`. */
  cwd?: string;
}

/** The variables read, in the table's order, for documentation and for messages. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.values(SETTINGS).flatMap((setting) =>
  setting.file ? [setting.variable, `${setting.variable}_FILE`] : [setting.variable],
);

/**
 * Reads the settings that are set in `env` (a blank value counts as unset) and parses each with its row of the
 * table. Pure: nothing but `env` and `sources.readFile` is read. Defaults and production's requirements are applied
 * when the server starts, so `startMerchantServer(loadConfig(process.env))` is the whole configuration.
 * @throws MerchantServerError `CONFIG_INVALID` naming the variable, for a malformed value or an unreadable `*_FILE`.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  sources: ConfigSources = {},
): MerchantServerOptions {
  const context = {
    cwd: sources.cwd ?? process.cwd(),
    readFile: sources.readFile ?? ((path: string) => readFileSync(path, 'utf8')),
    env,
  };
  const options: MerchantServerOptions = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    assign(options, name, SETTINGS[name].read(context));
  }
  return options;
}

function assign<K extends SettingName>(
  options: MerchantServerOptions,
  name: K,
  value: MerchantServerOptions[K] | undefined,
): void {
  if (value !== undefined) options[name] = value;
}
