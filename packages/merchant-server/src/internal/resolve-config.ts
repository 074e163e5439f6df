// The one resolver: every setting's value from the options, else its default (the dev home's keys and secrets only
// when something has to come from there), checked; in production, every setting it requires must be given, and a
// missing one stops start-up with all of them named at once. The rules are the rows of `settings.ts`.
import { ensureDevHome, type DevHome } from '@minipay/dev-home';
import type { LogOption, MerchantServerOptions } from '../config';
import { MerchantServerError } from '../errors';
import { describeSetting, SETTINGS, type ResolveContext, type SettingName } from './settings';

/**
 * Every setting with its value; only `publicUrl` may still be unknown (it is then the server's own URL), and of
 * `databaseUrl` and `databasePath` exactly one is set.
 */
export interface ResolvedConfig {
  home: string;
  host: string;
  port: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  walletUrl: string;
  walletPathPrefix: string;
  publicUrl: string | undefined;
  /** PostgreSQL; when undefined, the SQLite file `databasePath`. */
  databaseUrl: string | undefined;
  /** The SQLite file; undefined with PostgreSQL. */
  databasePath: string | undefined;
  databasePoolSize: number;
  databaseStatementTimeoutMs: number;
  databaseConnectTimeoutMs: number;
  clientId: string;
  merchantPrivateKey: string;
  /** The wallet key answers are verified with: the one configured, or the newest of `walletPublicKeys`. */
  walletPublicKey: string;
  /** Every wallet key a notification may name by its `keyVersion` (one key alone is version 1). */
  walletPublicKeys: Record<string, string>;
  sessionSecret: string;
  sessionTtlMs: number;
  orderTtlMs: number;
  reconcileAfterMs: number;
  reconcileIntervalMs: number;
  inquiryMinIntervalMs: number;
  notifyToleranceSeconds: number;
  walletTimeoutMs: number;
  merchantName: string;
  /** The operator API's secret; undefined (production without one): the /admin API refuses every request. */
  adminToken: string | undefined;
  autoRefund: boolean;
  fulfilmentLeaseMs: number;
  /** The fulfilment webhook and its secret (both or neither); undefined: no webhook. */
  fulfilmentUrl: string | undefined;
  fulfilmentSecret: string | undefined;
  fulfilmentTimeoutMs: number;
  /** The merchant's catalog file; undefined: the demo catalog. */
  catalogPath: string | undefined;
  production: boolean;
  log: LogOption;
  now: () => Date;
}

/**
 * @throws MerchantServerError `CONFIG_MISSING` naming every setting production requires and did not get,
 *   `CONFIG_INVALID` naming a setting whose value does not pass its check.
 */
export async function resolveConfig(options: MerchantServerOptions): Promise<ResolvedConfig> {
  const names = Object.keys(SETTINGS) as SettingName[];
  const production = options.production ?? false;
  if (production) {
    const missing = names.filter((name) => {
      const { requiredInProduction, satisfiedBy } = SETTINGS[name];
      return (
        requiredInProduction &&
        options[name] === undefined &&
        (satisfiedBy === undefined || options[satisfiedBy] === undefined)
      );
    });
    if (missing.length > 0) {
      throw new MerchantServerError(
        `${missing.map(describeSetting).join(', ')} ${missing.length === 1 ? 'is' : 'are'} required when MINIPAY_ENV=production ` +
          '(production never falls back to generated development keys or local defaults)',
        { code: 'CONFIG_MISSING' },
      );
    }
  }
  const resolved: ResolveContext['resolved'] = {};
  let dev: Promise<DevHome> | undefined;
  const context: ResolveContext = {
    resolved,
    production,
    // Only touched when something has to come from the development home (never in production: all is given).
    devHome: () => (dev ??= ensureDevHome(resolved.home as string)),
  };
  if (options.walletPublicKey !== undefined && options.walletPublicKeys !== undefined) {
    throw new MerchantServerError(
      `set either ${describeSetting('walletPublicKey')} (one key: version 1) or ${describeSetting('walletPublicKeys')} (keys by version), not both`,
      { code: 'CONFIG_INVALID' },
    );
  }
  for (const name of names) await resolveOne(name, options, context);
  // The keys by version: as configured; else the one key given, as version 1; else the dev home's (every version it
  // still has, so a rotated sandbox key verifies beside the one before it).
  const walletPublicKeys =
    resolved.walletPublicKeys ??
    (options.walletPublicKey !== undefined
      ? { '1': resolved.walletPublicKey as string }
      : (await context.devHome()).walletPublicKeys);
  return {
    ...(resolved as Omit<
      ResolvedConfig,
      | 'now'
      | 'publicUrl'
      | 'databaseUrl'
      | 'databasePath'
      | 'adminToken'
      | 'catalogPath'
      | 'walletPublicKeys'
      | 'fulfilmentUrl'
      | 'fulfilmentSecret'
    >),
    fulfilmentUrl: resolved.fulfilmentUrl,
    fulfilmentSecret: resolved.fulfilmentSecret,
    walletPublicKeys,
    publicUrl: resolved.publicUrl,
    catalogPath: resolved.catalogPath,
    adminToken: resolved.adminToken,
    databaseUrl: resolved.databaseUrl,
    databasePath: resolved.databasePath,
    now: options.now ?? (() => new Date()),
  };
}

async function resolveOne<K extends SettingName>(
  name: K,
  options: MerchantServerOptions,
  context: ResolveContext,
): Promise<void> {
  const setting = SETTINGS[name];
  const given = options[name] ?? (await setting.default(context));
  if (given === undefined) return;
  (context.resolved as Record<string, unknown>)[name] = setting.check ? setting.check(given as never, context) : given;
}
