// POST /notify/payment — the `paymentNotifyUrl`. The body is kept as the bytes that travelled, because the signature
// covers those exact bytes; `verifyNotification` checks signature and time window and only then parses.
// A message that cannot be believed gets 401 (the wallet retries; a forger learns nothing) and a warning in the log
// with the signature doctor's diagnosis (why it did not verify; never a key, a token or the body). A believed
// message always gets a signed acknowledgement: S when applied or already applied, F when it does not match our
// order. Every answer of this route is signed, refusals and errors included: `{ result, error }` with the HTTP status
// saying what went wrong, so the wallet reads an F (or U) result and people read the error.
import { createPublicKey } from 'node:crypto';
import { keepRawBodies } from '@minipay/fastify-kit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  diagnoseRequest,
  ProtocolError,
  SignatureError,
  signedResponseAsync,
  verifyNotificationAsync,
  type SignedResponseOptions,
} from '@minipay/openapi';
import type { AppContext } from '../internal/context';

/** The app's status and `{ error }` body for an error thrown in (or before) a handler (app.ts `errorAnswer`). */
export type ErrorAnswer = (
  error: FastifyError,
  request: FastifyRequest,
) => [number, { error: { code: string; message: string } }];

/** docs/PROTOCOL.md §4.4: `resultMessage` is at most 256 characters. */
const MAX_RESULT_MESSAGE = 256;

/** @param errorAnswer the app's error answers, which this route signs. */
export function registerNotifyRoute(app: FastifyInstance, context: AppContext, errorAnswer: ErrorAnswer): void {
  const { config, notifications } = context;
  // The merchant's own public key: a notification signed with the merchant key (a swapped key file on the wallet's
  // side) is the mistake the doctor can then name.
  const merchantPublicKey = createPublicKey(config.merchantPrivateKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();

  /**
   * A signed answer (a `result` or a whole `body`), over the path the wallet signed, with our Client-Id. Signed in
   * libuv's thread pool, as the notification is verified there: other requests go on meanwhile.
   */
  const sendSigned = async (
    reply: FastifyReply,
    status: number,
    content: Pick<SignedResponseOptions, 'result'> | Pick<SignedResponseOptions, 'body'>,
  ) => {
    const signed = await signedResponseAsync({
      ...content,
      clientId: config.clientId,
      privateKey: config.merchantPrivateKey,
      method: 'POST',
      path: context.notifyPath(),
      now: new Date(context.clock()),
    });
    return reply.status(status).headers(signed.headers).send(signed.body);
  };
  /** A refusal or an error: the `{ error }` shape of this API, with a `result` the wallet reads as not done. */
  const sendError = (reply: FastifyReply, status: number, code: string, message: string) => {
    const resultMessage =
      message.length > MAX_RESULT_MESSAGE ? `${message.slice(0, MAX_RESULT_MESSAGE - 3)}...` : message;
    const result = { resultCode: code, resultStatus: status >= 500 ? 'U' : 'F', resultMessage };
    return sendSigned(reply, status, { body: { result, error: { code, message } } });
  };

  // Encapsulated: only this route sees bodies as raw bytes, whatever their content type, and signs its errors.
  app.register(async (scope) => {
    keepRawBodies(scope);
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const [status, body] = errorAnswer(error, request);
      return sendError(reply, status, body.error.code, body.error.message);
    });

    scope.post('/notify/payment', async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const path = context.notifyPath();
      const now = new Date(context.clock());
      let notification;
      try {
        notification = await verifyNotificationAsync({
          headers: request.headers,
          rawBody,
          publicKey: config.walletPublicKey,
          method: 'POST',
          path,
          now,
          toleranceSeconds: config.notifyToleranceSeconds,
        });
      } catch (error) {
        if (error instanceof SignatureError) {
          const diagnosis = diagnoseRequest({
            headers: request.headers,
            rawBody,
            publicKey: config.walletPublicKey,
            keyName: 'the wallet public key',
            otherKeys: [{ name: "the merchant's own public key", key: merchantPublicKey }],
            method: 'POST',
            path,
            now,
            toleranceSeconds: config.notifyToleranceSeconds,
          });
          request.log.warn(
            { code: error.code, reason: error.message, diagnosis },
            `notification rejected: cannot be believed: ${diagnosis.summary}`,
          );
          return sendError(reply, 401, error.code, error.message);
        }
        if (error instanceof ProtocolError) {
          request.log.warn({ code: error.code, reason: error.message }, 'notification rejected: malformed');
          return sendError(reply, 400, 'INVALID_REQUEST', error.message);
        }
        throw error;
      }
      // Signed by the wallet, but for this merchant? (Client-Id is inside the signed content.)
      const clientId = request.headers['client-id'];
      if (clientId !== config.clientId) {
        request.log.warn({ clientId }, 'notification for another Client-Id rejected');
        return sendError(
          reply,
          401,
          'UNKNOWN_CLIENT',
          "the notification is not addressed to this merchant's Client-Id",
        );
      }
      const handled = await notifications.handle(notification, rawBody.toString('utf8'));
      return sendSigned(reply, 200, { result: handled.ack });
    });
  });
}
