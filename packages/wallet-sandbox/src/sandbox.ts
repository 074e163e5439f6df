// startSandbox: the wallet sandbox as a library (the CLI and the tests use it).
import { DEFAULT_HOST, DEFAULT_SANDBOX_PORT } from '@minipay/contract';
import { devHomePaths, ensureDevHome } from '@minipay/dev-home';
import {
  capConnections,
  DEFAULT_HTTP_LIMITS,
  fastifyHttpOptions,
  httpLimitsProblem,
  keepRawBodies,
  type HttpLimits,
} from '@minipay/fastify-kit';
import { formatRequestTime, requestPath } from '@minipay/openapi';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { resolve } from 'node:path';
import { SandboxError } from './errors';
import { effectiveFaults, type Faults } from './faults';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule';
import { AuthorizationBook } from './internal/authorizations';
import { answerFrameworkError, registerErrorAnswers } from './internal/error-answers';
import type { SandboxContext } from './internal/context';
import { Notifier } from './internal/notifier';
import { registerOpenApiRoutes } from './internal/openapi-routes';
import { registerPageRoutes } from './internal/page-routes';
import { PaymentBook } from './internal/payments';
import { REQUEST_LOG_SIZE, RequestLog } from './internal/request-log';
import { registerRequestLogRoutes } from './internal/request-log-routes';
import { registerSandboxRoutes } from './internal/sandbox-routes';
import { GLOBAL_FAULTS, StateStore } from './internal/state-store';

export interface SandboxOptions {
  /** The dev home (docs/PROTOCOL.md §8): keys and config.json; whatever is missing is created. */
  home: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 8210 (`DEFAULT_SANDBOX_PORT`); 0 = any free port. */
  port?: number;
  /** Where the OpenAPIs live. Default `/api/open`. */
  pathPrefix?: string;
  /**
   * Milliseconds before each notification attempt after the first. Default `DEFAULT_RETRY_SCHEDULE`
   * (5 s, 30 s, 2 min, 10 min, 30 min, 1 h: 7 attempts). Tests pass small values.
   */
  retrySchedule?: readonly number[];
  /** One line per OpenAPI call and per notification attempt. Default `console.log`. */
  log?: (line: string) => void;
  /** The wallet's clock (Request-Time window, expiry, timestamps). Default the system clock. */
  now?: () => Date;
  /**
   * The base URL of cashier links in `pay` answers and on the dashboard, when the sandbox is reached under
   * another name than `http://<host>:<port>` (a LAN address for a device, a tunnel). Default the listening URL.
   */
  publicUrl?: string;
  /** How many OpenAPI calls the request log keeps (`GET /sandbox/requests`). Default 1000. */
  requestLogSize?: number;
  /** How long one notification attempt may take before it is abandoned (and retried on the schedule). Default 10 s. */
  notifyTimeoutMs?: number;
  /** A socket with no traffic for this long is closed; 0 = never. Default 30 s (as the merchant server). */
  connectionTimeoutMs?: number;
  /** A request, body included, must arrive within this; 0 = never. Default 30 s. */
  requestTimeoutMs?: number;
  /** A request's headers must arrive within this (at most `requestTimeoutMs`); 0 = never. Default 10 s. */
  headersTimeoutMs?: number;
  /** An idle keep-alive socket closes this long after its last answer; 0 = never. Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** Connections open at once at most; 0 = no cap. Default 500. */
  maxConnections?: number;
  /**
   * `true`: the state (payments, refunds, notifications, auth codes, tokens, faults) lives in memory and a restart
   * forgets it. `false`: it is kept in `stateFile`, by default `sandbox.db` in the dev home, and a restart picks up
   * where the last run stopped (scheduled notification retries included). Default: in memory unless `stateFile` is
   * given (the CLI passes `false`).
   */
  inMemory?: boolean;
  /** The SQLite file of the state, when it is not in memory. Default `<home>/sandbox.db`. */
  stateFile?: string;
}

/** The notifier's default per-attempt timeout. */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>`: the dashboard; the OpenAPIs are under `url + pathPrefix`. */
  url: string;
  /** The merchant's Client-Id, from the dev home's config.json. */
  clientId: string;
  /** The file that keeps the state, or `undefined` when it is in memory. */
  stateFile: string | undefined;
  /** Resolves when no notification attempt is scheduled or in flight (tests await this instead of sleeping). */
  whenIdle(): Promise<void>;
  /** Stops the server and every scheduled notification. */
  close(): Promise<void>;
}

/** Starts a sandbox wallet on `host:port` with the merchant and wallet keys of `home`. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  if (!options || typeof options.home !== 'string' || options.home === '') {
    throw new SandboxError('startSandbox needs options.home: the dev home folder (e.g. .minipay/ at the repo root)', {
      code: 'INVALID_OPTION',
    });
  }
  const limits = httpLimits(options);
  const notifyTimeoutMs = options.notifyTimeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  if (!Number.isInteger(notifyTimeoutMs) || notifyTimeoutMs < 1) {
    throw new SandboxError(`notifyTimeoutMs must be a whole number of milliseconds ≥ 1; got ${notifyTimeoutMs}`, {
      code: 'INVALID_OPTION',
    });
  }
  if (options.inMemory === true && options.stateFile !== undefined) {
    throw new SandboxError('inMemory: true and stateFile contradict each other: pass one of them', {
      code: 'INVALID_OPTION',
    });
  }
  const devHome = await ensureDevHome(options.home);
  const stateFile = stateFileOf(options, devHome.home);
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_SANDBOX_PORT;
  const pathPrefix = normalizePrefix(options.pathPrefix ?? '/api/open');
  const retrySchedule = [...(options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE)];
  if (retrySchedule.some((delay) => !Number.isFinite(delay) || delay < 0)) {
    throw new SandboxError('retrySchedule must be a list of non-negative millisecond delays', {
      code: 'INVALID_OPTION',
    });
  }
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => console.log(line));
  let baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';

  const store = StateStore.open(stateFile);
  const faults: { global: Faults } = { global: store.loadFaults().get(GLOBAL_FAULTS) ?? {} };
  const faultsFor = (payment: { faults?: Faults }) => effectiveFaults(faults.global, payment.faults);
  const cashierUrl = (paymentId: string) => `${baseUrl}/cashier/${encodeURIComponent(paymentId)}`;
  const notifier = new Notifier({
    merchantPublicKey: devHome.merchantPublicKey,
    walletPrivateKey: devHome.walletPrivateKey,
    walletKeyVersion: devHome.walletKeyVersion,
    now,
    formatTime: formatRequestTime,
    schedule: retrySchedule,
    faultsFor,
    log,
    timeoutMs: notifyTimeoutMs,
    onChange: (payment) => payments.save(payment),
  });
  const payments = new PaymentBook({
    now,
    cashierUrl,
    formatTime: formatRequestTime,
    onFinal: (payment) => void notifier.start(payment),
    store,
  });
  const context: SandboxContext = {
    clientId: devHome.clientId,
    home: devHome.home,
    merchantPublicKey: devHome.merchantPublicKey,
    walletPrivateKey: devHome.walletPrivateKey,
    walletPublicKey: devHome.walletPublicKey,
    walletKeyVersion: devHome.walletKeyVersion,
    pathPrefix,
    retrySchedule,
    now,
    formatTime: formatRequestTime,
    log,
    publicUrl: () => baseUrl,
    payments,
    authorizations: new AuthorizationBook(now, store),
    notifier,
    faults,
    cashierUrl,
    faultsFor,
    requestLog: new RequestLog(options.requestLogSize ?? REQUEST_LOG_SIZE),
    store,
  };

  const app = Fastify({
    logger: false,
    ...fastifyHttpOptions(limits),
    forceCloseConnections: true,
    // A request in absolute form (POST http://host:8210/api/open/... HTTP/1.1: the official Python SDK, a forward
    // proxy) is routed, signed and answered by its path; the request log keeps the target as sent.
    rewriteUrl: (request) => requestPath(request.url ?? '/'),
    frameworkErrors: (error, request, reply) =>
      answerFrameworkError(context, error, request as FastifyRequest, reply as FastifyReply),
  });
  capConnections(app.server, limits);
  // Keep every body as the bytes that travelled: signatures are over them, whatever their layout or encoding. The
  // routes parse JSON (or the cashier's form encoding) themselves.
  keepRawBodies(app);
  registerErrorAnswers(app, context);
  registerOpenApiRoutes(app, context);
  registerSandboxRoutes(app, context);
  registerRequestLogRoutes(app, context);
  registerPageRoutes(app, context);

  try {
    await app.listen({ host, port });
  } catch (error) {
    // EADDRINUSE and friends: release what Fastify opened, then let the caller word the message.
    await app.close().catch(() => undefined);
    store.close();
    throw error;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${urlHost(host)}:${actualPort}`;
  if (!baseUrl) baseUrl = url;

  // Expiry is also checked on every read; the sweep makes an unattended payment's notification go out on time.
  const sweep = setInterval(() => payments.expireDue(), 1000);
  sweep.unref();
  // A restarted sandbox sends what the last run had scheduled (or had in flight when it died).
  for (const payment of payments.list()) notifier.resume(payment);

  let closing: Promise<void> | undefined;
  return {
    url,
    clientId: devHome.clientId,
    stateFile,
    whenIdle: () => notifier.whenIdle(),
    close: () => {
      closing ??= (async () => {
        clearInterval(sweep);
        await notifier.close();
        await app.close();
        store.close();
      })();
      return closing;
    },
  };
}

/** Where the state is kept: `stateFile`, the dev home's file for `inMemory: false`, else nowhere (in memory). */
function stateFileOf(options: SandboxOptions, home: string): string | undefined {
  if (options.inMemory === true) return undefined;
  if (options.stateFile !== undefined) return resolve(options.stateFile);
  if (options.inMemory === false) return devHomePaths(home).sandboxState;
  return undefined;
}

/** The connection timeouts and cap from the options, each defaulting as the merchant server's. */
function httpLimits(options: SandboxOptions): HttpLimits {
  const limits: HttpLimits = {
    connectionTimeoutMs: options.connectionTimeoutMs ?? DEFAULT_HTTP_LIMITS.connectionTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_HTTP_LIMITS.requestTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HTTP_LIMITS.headersTimeoutMs,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs,
    maxConnections: options.maxConnections ?? DEFAULT_HTTP_LIMITS.maxConnections,
  };
  if (options.headersTimeoutMs === undefined && limits.requestTimeoutMs > 0)
    limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const problem = httpLimitsProblem(limits, (name) => name);
  if (problem !== undefined) throw new SandboxError(problem, { code: 'INVALID_OPTION' });
  return limits;
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed !== '' && !trimmed.startsWith('/'))
    throw new SandboxError(`pathPrefix must start with "/", got ${JSON.stringify(prefix)}`, { code: 'INVALID_OPTION' });
  return trimmed;
}

/** A host for a URL a browser can open: the wildcard addresses become loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
