// The Fastify application: body limits, JSON-schema validation with messages that name the field, one error
// shape (`{ error: { code, message } }`) and no stack trace ever sent to a caller, structured logs with secrets
// redacted.
import { frameworkErrorAnswer } from '@minipay/fastify-kit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { LogOption } from './config';
import { HttpError } from './errors';
import type { AppContext } from './internal/context';
import { errorSummary, isError } from './internal/error-summary';
import { validationMessage, type AjvLikeError } from './internal/validation-message';
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
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.authCode',
  '*.privateKey',
  '*.merchantPrivateKey',
  '*.sessionSecret',
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
  if (typeof log === 'object' && log.stream !== undefined) options.stream = log.stream;
  return options as FastifyServerOptions['logger'];
}

/** The Fastify instance with its parsers, limits and error handling, but no routes yet (its logger is needed first). */
export function createApp(log: LogOption): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(log),
    bodyLimit: BODY_LIMIT_BYTES,
    // Strict JSON Schema: no type coercion ("5" is not a quantity); unknown properties are stripped, not read.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: true, allErrors: false } },
    // Graceful shutdown waits for requests in flight; idle keep-alive sockets are closed at once.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Errors Fastify raises before routing (a malformed %-escape, a path segment over 100 characters) would
    // otherwise be answered in Fastify's own shape; callers get the one error shape of this API instead.
    frameworkErrors: (error, _request, reply) => {
      const answer = frameworkErrorAnswer(error);
      (reply as FastifyReply).status(answer.status).send({ error: { code: answer.code, message: answer.message } });
    },
  });

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

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message } });
    }
    if (error.validation) {
      const message = validationMessage(error.validation as AjvLikeError[], error.validationContext ?? 'body');
      return reply.status(400).send({ error: { code: 'INVALID_REQUEST', message } });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: `the request body is larger than ${BODY_LIMIT_BYTES} bytes` } });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the request body as application/json' } });
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.status(400).send({ error: { code: 'INVALID_JSON', message: 'the request body is not valid JSON' } });
      default:
        break;
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return reply.status(400).send({ error: { code: 'INVALID_JSON', message: 'the request body is not valid JSON' } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: { code: 'BAD_REQUEST', message: error.message } });
    }
    // Our bug or broken infrastructure: the caller gets the request id only; the log gets the error's class, code and
    // message at error level, and its stack only at debug level (stack traces stay out of the normal logs).
    request.log.error({ err: errorSummary(error) }, 'unhandled error');
    request.log.debug({ stack: error.stack }, 'unhandled error: stack trace');
    return reply.status(500).send({ error: { code: 'INTERNAL_ERROR', message: `internal error (request ${request.id}); see the server log` } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  return app;
}

/** Every route of the server. */
export function registerRoutes(app: FastifyInstance, context: AppContext): void {
  app.get('/healthz', async () => ({ ok: true }));
  registerSessionRoutes(app, context);
  registerProductRoutes(app);
  registerOrderRoutes(app, context);
  registerNotifyRoute(app, context);
}
