// The Fastify application: body limits, JSON-schema validation with messages that name the field, one error
// shape (`{ error: { code, message } }`) and no stack trace ever sent to a caller, structured logs with secrets
// redacted.
import {
  assertJsonNesting,
  capConnections,
  DEFAULT_HTTP_LIMITS,
  fastifyHttpOptions,
  frameworkErrorAnswer,
  type HttpLimits,
} from '@minipay/fastify-kit';
import { requestPath } from '@minipay/openapi';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { LogOption } from './config';
import { HttpError } from './errors';
import type { AppContext } from './internal/context';
import { errorSummary, isError } from './internal/error-summary';
import { readableLines } from './internal/log-lines';
import { validationMessage, type AjvLikeError } from './internal/validation-message';
import { registerAdminRoutes } from './routes/admin-routes';
import { registerNotifyRoute } from './routes/notify-route';
import { registerOrderRoutes } from './routes/order-routes';
import { registerProductRoutes } from './routes/product-routes';
import { registerSessionRoutes } from './routes/session-routes';

/** The largest request body accepted: 64 KiB (an order of 20 lines is well under 2 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Log fields that may carry secrets; pino replaces them wherever they appear. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.signature',
  'req.headers.cookie',
  'headers.authorization',
  'headers.signature',
  'authorization',
  'signature',
  'token',
  'accessToken',
  'refreshToken',
  'authCode',
  'privateKey',
  'merchantPrivateKey',
  'sessionSecret',
  'adminToken',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.authCode',
  '*.privateKey',
  '*.merchantPrivateKey',
  '*.sessionSecret',
  '*.adminToken',
];

export function loggerOptions(log: LogOption): FastifyServerOptions['logger'] {
  if (log === false) return false;
  const level = typeof log === 'object' ? (log.level ?? 'info') : 'info';
  const options: Record<string, unknown> = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // An error under `err` (ours or one Fastify logs itself) is its class, code and message: pino's default adds the
    // stack trace, and a summary passed in as a plain object would gain an empty `stack` and `type: "Object"`.
    serializers: { err: (value: unknown) => (isError(value) ? errorSummary(value) : value) },
  };
  if (typeof log === 'object' && log.format === 'lines') {
    options.stream = readableLines(log.stream ?? process.stdout);
  } else if (typeof log === 'object' && log.stream !== undefined) {
    options.stream = log.stream;
  }
  return options as FastifyServerOptions['logger'];
}

/**
 * The Fastify instance with its parsers, limits and error handling, but no routes yet (its logger is needed first).
 * `limits` are the connection timeouts and cap (the settings of the same names).
 */
export function createApp(log: LogOption, limits: HttpLimits = DEFAULT_HTTP_LIMITS): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(log),
    // One line per request when it is answered (below), instead of Fastify's two ("incoming request" and "request
    // completed"): the same facts, half the lines to serialise and write on every request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    ...fastifyHttpOptions(limits),
    // Strict JSON Schema: no type coercion ("5" is not a quantity); unknown properties are stripped, not read.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: true, allErrors: false } },
    // Graceful shutdown waits for requests in flight; idle keep-alive sockets are closed at once.
    forceCloseConnections: 'idle',
    // A request in absolute form (POST http://host:8200/notify/payment HTTP/1.1: through a forward proxy, or from a
    // client built like the official Python SDK) is routed and logged by its path.
    rewriteUrl: (request) => requestPath(request.url ?? '/'),
    return503OnClosing: true,
    // Errors Fastify raises before routing (a malformed %-escape, a path segment over 100 characters) would
    // otherwise be answered in Fastify's own shape; callers get the one error shape of this API instead.
    frameworkErrors: (error, _request, reply) => {
      const answer = frameworkErrorAnswer(error);
      (reply as FastifyReply).status(answer.status).send({ error: { code: answer.code, message: answer.message } });
    },
  });

  capConnections(app.server, limits);

  // Only JSON is read. Fastify also parses text/plain by default, which would hand a string to the schema and
  // answer "the request body must be an object" to a client that only forgot its Content-Type.
  app.removeContentTypeParser('text/plain');

  // JSON with an empty body (a POST without data that still says application/json) is "no body", not an error;
  // the schema then says what was missing. Prototype poisoning is refused by Fastify's own parser.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, undefined);
      return;
    }
    // Measured before it is parsed: a deeply nested body costs far more to parse than its size suggests.
    try {
      assertJsonNesting(body as string);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    defaultJson(request, body as string, done);
  });

  // Graceful shutdown: once close() starts, every answer still being prepared says `Connection: close`, so its
  // keep-alive socket ends with it and close() does not wait for the idle timeout of the client's connection pool.
  let shuttingDown = false;
  app.addHook('preClose', (done) => {
    shuttingDown = true;
    done();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (shuttingDown) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const [status, body] = errorAnswer(error, request);
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  return app;
}

/**
 * The status and `{ error: { code, message } }` body for an error thrown in (or before) a handler; a bug or broken
 * infrastructure is logged here. Shared by the app's error handler and the notification route's signed one.
 */
export function errorAnswer(
  error: FastifyError,
  request: FastifyRequest,
): [number, { error: { code: string; message: string } }] {
  const answer = (
    status: number,
    code: string,
    message: string,
  ): [number, { error: { code: string; message: string } }] => [status, { error: { code, message } }];
  if (error instanceof HttpError) return answer(error.statusCode, error.code, error.message);
  if (error.validation)
    return answer(
      400,
      'INVALID_REQUEST',
      validationMessage(error.validation as AjvLikeError[], error.validationContext ?? 'body'),
    );
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return answer(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${BODY_LIMIT_BYTES} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return answer(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the request body as application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return answer(400, 'INVALID_JSON', 'the request body is not valid JSON');
    case 'JSON_TOO_DEEP':
      return answer(400, 'JSON_TOO_DEEP', error.message);
    default:
      break;
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return answer(400, 'INVALID_JSON', 'the request body is not valid JSON');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return answer(status, 'BAD_REQUEST', error.message);
  // Our bug or broken infrastructure: the caller gets the request id only; the log gets the error's class, code and
  // message at error level, and its stack only at debug level (stack traces stay out of the normal logs).
  request.log.error({ err: errorSummary(error) }, 'unhandled error');
  request.log.debug({ stack: error.stack }, 'unhandled error: stack trace');
  return answer(500, 'INTERNAL_ERROR', `internal error (request ${request.id}); see the server log`);
}

/** Every route of the server. */
export function registerRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/healthz', async () => ({ ok: true }));
  registerSessionRoutes(app, context);
  registerProductRoutes(app, context);
  registerOrderRoutes(app, context);
  registerNotifyRoute(app, context, errorAnswer);
  registerAdminRoutes(app, context);
}
