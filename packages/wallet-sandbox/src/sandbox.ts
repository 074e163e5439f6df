// startSandbox: the wallet sandbox as a library (the CLI and the tests use it).
import { DEFAULT_HOST, DEFAULT_SANDBOX_PORT } from '@minipay/contract';
import { ensureDevHome } from '@minipay/dev-home';
import { keepRawBodies } from '@minipay/fastify-kit';
import { formatRequestTime, requestPath } from '@minipay/openapi';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
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
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>`: the dashboard; the OpenAPIs are under `url + pathPrefix`. */
  url: string;
  /** The merchant's Client-Id, from the dev home's config.json. */
  clientId: string;
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
  const devHome = await ensureDevHome(options.home);
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

  const faults: { global: Faults } = { global: {} };
  const faultsFor = (payment: { faults?: Faults }) => effectiveFaults(faults.global, payment.faults);
  const cashierUrl = (paymentId: string) => `${baseUrl}/cashier/${encodeURIComponent(paymentId)}`;
  const notifier = new Notifier({
    merchantPublicKey: devHome.merchantPublicKey,
    walletPrivateKey: devHome.walletPrivateKey,
    now,
    formatTime: formatRequestTime,
    schedule: retrySchedule,
    faultsFor,
    log,
  });
  const payments = new PaymentBook({
    now,
    cashierUrl,
    formatTime: formatRequestTime,
    onFinal: (payment) => void notifier.start(payment),
  });
  const context: SandboxContext = {
    clientId: devHome.clientId,
    home: devHome.home,
    merchantPublicKey: devHome.merchantPublicKey,
    walletPrivateKey: devHome.walletPrivateKey,
    walletPublicKey: devHome.walletPublicKey,
    pathPrefix,
    retrySchedule,
    now,
    formatTime: formatRequestTime,
    log,
    publicUrl: () => baseUrl,
    payments,
    authorizations: new AuthorizationBook(now),
    notifier,
    faults,
    cashierUrl,
    faultsFor,
    requestLog: new RequestLog(options.requestLogSize ?? REQUEST_LOG_SIZE),
  };

  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    // A request in absolute form (POST http://host:8210/api/open/... HTTP/1.1: the official Python SDK, a forward
    // proxy) is routed, signed and answered by its path; the request log keeps the target as sent.
    rewriteUrl: (request) => requestPath(request.url ?? '/'),
    frameworkErrors: (error, request, reply) =>
      answerFrameworkError(context, error, request as FastifyRequest, reply as FastifyReply),
  });
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
    throw error;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${urlHost(host)}:${actualPort}`;
  if (!baseUrl) baseUrl = url;

  // Expiry is also checked on every read; the sweep makes an unattended payment's notification go out on time.
  const sweep = setInterval(() => payments.expireDue(), 1000);
  sweep.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    clientId: devHome.clientId,
    whenIdle: () => notifier.whenIdle(),
    close: () => {
      closing ??= (async () => {
        clearInterval(sweep);
        await notifier.close();
        await app.close();
      })();
      return closing;
    },
  };
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
