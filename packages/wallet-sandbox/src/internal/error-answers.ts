// Errors outside the route handlers: Fastify's own (a body over the limit, a malformed URL) and bugs. Under the
// OpenAPI prefix every answer is a signed wallet result, also for a request that never reached a handler;
// elsewhere errors are the scripting API's `{ error: { code, message } }`.
import { frameworkErrorAnswer } from '@minipay/fastify-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SandboxError } from '../errors';
import type { SandboxContext } from './context';
import { failed, isOpenApiRequest, sendWalletAnswer } from './openapi-routes';

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Errors thrown in (or before) a handler. */
export function registerErrorAnswers(app: FastifyInstance, context: SandboxContext): void {
  app.setErrorHandler((error, request, reply) => {
    if (isOpenApiRequest(context, request.url)) {
      // The request never reached an OpenAPI handler (a body over the limit): still a signed wallet answer.
      const tooLarge = (error as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE';
      const answer = failed(
        'PARAM_ILLEGAL',
        tooLarge ? 'the body is larger than the 1 MiB the sandbox accepts' : 'the request could not be read',
      );
      return sendWalletAnswer(context, request, reply, answer, performance.now());
    }
    if (error instanceof SandboxError && error.code === 'BAD_REQUEST')
      return reply.code(400).send(errorBody('BAD_REQUEST', error.message));
    const status =
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
    if (status < 500)
      return reply.code(status).send(errorBody('BAD_REQUEST', error instanceof Error ? error.message : 'bad request'));
    context.log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    return reply.code(500).send(errorBody('INTERNAL', 'the sandbox failed; see its log'));
  });
}

/**
 * Errors Fastify raises before routing (a malformed %-escape, a path segment over 100 characters), for its
 * `frameworkErrors` option: a signed F INVALID_API under the OpenAPI prefix, 400/414 JSON elsewhere.
 */
export function answerFrameworkError(
  context: SandboxContext,
  error: { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const answer = frameworkErrorAnswer(error);
  if (isOpenApiRequest(context, request.url)) {
    sendWalletAnswer(context, request, reply, failed('INVALID_API', answer.message), performance.now()).catch(
      (error: unknown) => {
        // Signing failed (a wallet key that does not parse): nothing signed can be sent, but the caller gets an answer.
        context.log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        reply.code(500).send(errorBody('INTERNAL', 'the sandbox failed; see its log'));
      },
    );
    return;
  }
  reply.code(answer.status).send(errorBody(answer.code, answer.message));
}
