// Starting and stopping the whole server: configuration, database, wallet client, HTTP, reconciler.
import { OpenApiClient } from '@minipay/openapi';
import type { MerchantServerOptions } from './config';
import { MerchantServerError } from './errors';
import { createApp, registerRoutes } from './app';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from './internal/context';
import { redactDatabaseUrl } from './internal/database-url';
import { errorSummary } from './internal/error-summary';
import { resolveConfig, type ResolvedConfig } from './internal/resolve-config';
import { Canceller } from './cancels';
import { DEMO_CATALOG } from './catalog';
import { readCatalogFile } from './catalog-file';
import { Inquirer } from './inquirer';
import { NotificationHandler } from './notification-handler';
import { PaymentStarter } from './payment-start';
import { PostgresStorage } from './postgres-storage';
import { Reconciler } from './reconciler';
import { Fulfilment, type FulfilmentHook } from './fulfilment';
import { fulfilmentWebhook } from './fulfilment-webhook';
import { autoRefundRequestId, Refunder } from './refunds';
import { Settlement } from './settlement';
import { SqliteStorage } from './sqlite-storage';
import type { Storage } from './storage';
import type { WalletApi } from './wallet-api';
import { probeWallet, unreachableMessage } from './internal/wallet-reachability';

export interface RunningMerchantServer {
  /** The URL it listens on, e.g. `http://127.0.0.1:8200`. */
  url: string;
  /** Where the wallet is told to send notifications (`paymentNotifyUrl`). */
  notifyUrl: string;
  /**
   * Graceful: stops accepting, finishes requests in flight, stops the reconciler, waits for inquiries still under
   * way, closes the database. Idempotent.
   */
  close(): Promise<void>;
}

/** Extra wiring for tests and embedding; not configuration. */
export interface MerchantServerHooks {
  /** Replaces the `OpenApiClient` built from the configuration (e.g. to wrap it). */
  wallet?: WalletApi;
  /**
   * Another `Storage` implementation instead of the one the configuration names (`databaseUrl`, `databasePath`),
   * which are then unused. The server closes it on `close()`.
   */
  storage?: Storage;
  /**
   * The merchant's code that runs when an order becomes PAID and when a refund of it succeeds (ship the goods,
   * tell the warehouse). Fed by an outbox in the database: called again (with backoff) until it resolves, never
   * lost to a crash; each event has a stable `id` to handle it once. See `FulfilmentEvent`. Instead of
   * `fulfilmentUrl` (the signed webhook), not with it.
   */
  fulfilment?: FulfilmentHook;
}

/**
 * Starts the merchant server. Applies pending migrations, listens, then runs the reconciler once (resolving
 * orders left PAYING by a previous run) and every `reconcileIntervalMs`.
 * @throws MerchantServerError `CONFIG_MISSING` / `CONFIG_INVALID` naming the setting, `PORT_IN_USE` naming
 *   `MINIPAY_MERCHANT_PORT` and `--port`, `STORAGE_ERROR` when the database cannot be opened.
 */
export async function startMerchantServer(
  options: MerchantServerOptions,
  hooks: MerchantServerHooks = {},
): Promise<RunningMerchantServer> {
  const config = await resolveConfig(options);
  const fulfilmentHook = chooseFulfilmentHook(config, hooks.fulfilment);
  // Before anything opens: a catalog that does not pass its checks stops start-up, naming the entry and field.
  const catalog = config.catalogPath === undefined ? DEMO_CATALOG : readCatalogFile(config.catalogPath);
  const clock = (): number => config.now().getTime();
  const app = createApp(config.log, config);
  const log = app.log;
  let storage: Storage;
  try {
    storage = hooks.storage ?? (await openStorage(config, log));
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }

  let wallet: WalletApi;
  try {
    wallet =
      hooks.wallet ??
      new OpenApiClient({
        baseUrl: config.walletUrl,
        pathPrefix: config.walletPathPrefix,
        clientId: config.clientId,
        privateKey: config.merchantPrivateKey,
        walletPublicKey: config.walletPublicKey,
        timeoutMs: config.walletTimeoutMs,
        now: config.now,
      });
  } catch (error) {
    await app.close().catch(() => undefined);
    await storage.close();
    // KeyFormatError messages say which format was expected and never quote the key.
    throw new MerchantServerError(`the wallet client cannot be set up: ${(error as Error).message}`, {
      code: 'CONFIG_INVALID',
      cause: error,
    });
  }

  let notifyUrl = config.publicUrl === undefined ? '' : `${config.publicUrl}/notify/payment`;
  const notifyPath = (): string => new URL(notifyUrl).pathname;
  // The payment jobs, each in its own module: settling verdicts, asking the wallet, starting, notifications.
  // Built once the server listens; the payment jobs only tell it that an outbox event was written.
  let fulfilment: Fulfilment | undefined;
  const refunder = new Refunder({
    storage,
    wallet,
    log,
    clock,
    retryAfterMs: config.inquiryMinIntervalMs,
    onRefunded: () => fulfilment?.kick(),
  });
  const settlement = new Settlement({
    storage,
    log,
    clock,
    refundsPaidAfterClose: config.autoRefund,
    onPaid: () => fulfilment?.kick(),
    // Money for a closed order: reserved and stored (PENDING) before the notification is acknowledged, sent to the
    // wallet after; one refund per order whatever the number of reports (its refundRequestId is the order's).
    onPaidAfterClose: async (order) => {
      if (!config.autoRefund) return;
      const reserved = await refunder.reserve(order.id, {
        initiator: 'auto',
        refundRequestId: autoRefundRequestId(order.id),
        reason: `paid after the order was ${order.status}`,
      });
      if (reserved.status === 'reserved') void refunder.send(reserved.refund);
    },
  });
  const canceller = new Canceller({ storage, wallet, settlement, log, clock });
  const inquirer = new Inquirer({
    storage,
    wallet,
    settlement,
    log,
    clock,
    reconcileAfterMs: config.reconcileAfterMs,
    minIntervalMs: config.inquiryMinIntervalMs,
    leaseMs: inquiryLeaseMs(config.walletTimeoutMs),
    canceller,
  });
  const payments = new PaymentStarter({
    storage,
    wallet,
    settlement,
    inquirer,
    log,
    clock,
    notifyUrl: () => notifyUrl,
    merchantName: config.merchantName,
  });
  const notifications = new NotificationHandler({ storage, settlement, log, clock });
  const context: AppContext = {
    config,
    catalog,
    storage,
    wallet,
    payments,
    notifications,
    inquirer,
    refunder,
    canceller,
    clock,
    notifyPath,
  };
  registerRoutes(app, context);

  let url: string;
  try {
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  } catch (error) {
    await app.close().catch(() => undefined);
    await storage.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new MerchantServerError(
        `port ${config.port} on ${config.host} is already in use: stop the other process, or pick another port with MINIPAY_MERCHANT_PORT or --port`,
        { code: 'PORT_IN_USE', cause: error },
      );
    }
    throw error;
  }
  if (notifyUrl === '') notifyUrl = `${url}/notify/payment`;

  const reconciler = new Reconciler({
    storage,
    inquirer,
    refunds: refunder,
    log,
    clock,
    intervalMs: config.reconcileIntervalMs,
  });
  reconciler.start();
  if (fulfilmentHook !== undefined) {
    fulfilment = new Fulfilment({
      storage,
      hook: fulfilmentHook,
      log,
      clock,
      payeeName: config.merchantName,
      leaseMs: config.fulfilmentLeaseMs,
    });
    fulfilment.start();
  }
  app.log.info(
    { url, notifyUrl, walletUrl: config.walletUrl, database: describeDatabase(config) },
    'merchant server listening',
  );
  // Not awaited: a wallet that starts after the server is fine; one that never answers is a wrong URL, said once here.
  // (An injected wallet is not reached through the URL.)
  if (hooks.wallet === undefined) {
    void probeWallet(config.walletUrl).then((reason) => {
      if (reason !== undefined) log.warn({ walletUrl: config.walletUrl }, unreachableMessage(config.walletUrl, reason));
    });
  }

  let closing: Promise<void> | undefined;
  const running = app;
  return {
    url,
    notifyUrl,
    close() {
      closing ??= (async () => {
        await running.close();
        await reconciler.stop();
        await inquirer.whenIdle();
        await refunder.whenIdle();
        await fulfilment?.stop();
        await storage.close();
      })();
      return closing;
    },
  };
}

/**
 * The one place fulfilment events go: the function given in code, or the webhook the configuration names, not both.
 * One outbox row has one "delivered" mark and one attempt count, so two destinations could not be retried apart: the
 * one that succeeded would be called again each time the other failed. A shop that wants both calls its webhook from
 * its function.
 */
function chooseFulfilmentHook(config: ResolvedConfig, given: FulfilmentHook | undefined): FulfilmentHook | undefined {
  const { fulfilmentUrl: url, fulfilmentSecret: secret } = config;
  if (url === undefined) return given;
  if (given !== undefined) {
    throw new MerchantServerError(
      'set either a fulfilment function (startMerchantServer(options, { fulfilment })) or MINIPAY_FULFILMENT_URL (option fulfilmentUrl), not both: each event has one destination',
      { code: 'CONFIG_INVALID' },
    );
  }
  return fulfilmentWebhook({
    url,
    secret: secret as string,
    timeoutMs: config.fulfilmentTimeoutMs,
    clock: () => config.now().getTime(),
  });
}

/**
 * An inquiry's lease: one wallet call (at most `walletTimeoutMs`) and applying its answer (a few statements, each
 * bounded by the statement timeout in PostgreSQL), with room to spare. The holder releases it as soon as it is done;
 * it only runs out when the holder died, and then another instance may ask.
 */
export function inquiryLeaseMs(walletTimeoutMs: number): number {
  return walletTimeoutMs + INQUIRY_LEASE_MARGIN_MS;
}

const INQUIRY_LEASE_MARGIN_MS = 5_000;

/** The storage the configuration names: PostgreSQL with `databaseUrl`, else the SQLite file. */
async function openStorage(config: ResolvedConfig, log: FastifyBaseLogger): Promise<Storage> {
  const storage =
    config.databaseUrl === undefined
      ? SqliteStorage.open(config.databasePath as string)
      : await openPostgres(config.databaseUrl, config, log);
  // Of instances started together, one says this; the others find the schema current.
  if (storage.appliedMigrations.length > 0) {
    log.info({ versions: storage.appliedMigrations, database: describeDatabase(config) }, 'database schema migrated');
  }
  return storage;
}

async function openPostgres(url: string, config: ResolvedConfig, log: FastifyBaseLogger): Promise<PostgresStorage> {
  try {
    return await PostgresStorage.open(url, {
      poolSize: config.databasePoolSize,
      statementTimeoutMs: config.databaseStatementTimeoutMs,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      onIdleError: (error) => log.error({ err: errorSummary(error) }, 'database connection lost; the pool reconnects'),
    });
  } catch (error) {
    if (!(error instanceof MerchantServerError)) throw error;
    // Say which setting to fix; the storage's message already shows the URL without its password.
    throw new MerchantServerError(`MINIPAY_DATABASE_URL (option databaseUrl): ${error.message}`, {
      code: error.code,
      cause: error,
    });
  }
}

/** Where the orders are, for the start-up log line: the file, or the URL without its password. */
function describeDatabase(config: ResolvedConfig): string {
  return config.databaseUrl === undefined
    ? (config.databasePath as string)
    : redactDatabaseUrl(new URL(config.databaseUrl));
}
