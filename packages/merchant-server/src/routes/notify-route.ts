// POST /notify/payment — the `paymentNotifyUrl`. The body is kept as the raw string that travelled, because the
// signature covers those exact bytes; `verifyNotification` checks signature and time window and only then parses.
// A message that cannot be believed gets 401 (the wallet retries; a forger learns nothing). A believed message
// always gets a signed acknowledgement: S when applied or already applied, F when it does not match our order.
import { keepRawBodies } from '@minipay/fastify-kit';
import type { FastifyInstance } from 'fastify';
import { ProtocolError, SignatureError, signedResponse, verifyNotification } from '@minipay/openapi';
import type { AppContext } from '../internal/context';

export function registerNotifyRoute(app: FastifyInstance, context: AppContext): void {
  const { config, notifications } = context;
  // Encapsulated: only this route sees bodies as raw strings, whatever their content type.
  app.register(async (scope) => {
    keepRawBodies(scope);

    scope.post('/notify/payment', async (request, reply) => {
      const rawBody = typeof request.body === 'string' ? request.body : '';
      const path = context.notifyPath();
      let notification;
      try {
        notification = verifyNotification({
          headers: request.headers as Record<string, string | string[] | undefined>,
          rawBody,
          publicKey: config.walletPublicKey,
          method: 'POST',
          path,
          now: new Date(context.clock()),
          toleranceSeconds: config.notifyToleranceSeconds,
        });
      } catch (error) {
        if (error instanceof SignatureError) {
          request.log.warn({ code: error.code, reason: error.message }, 'notification rejected: cannot be believed');
          return reply.status(401).send({ error: { code: error.code, message: error.message } });
        }
        if (error instanceof ProtocolError) {
          request.log.warn({ code: error.code, reason: error.message }, 'notification rejected: malformed');
          return reply.status(400).send({ error: { code: 'INVALID_REQUEST', message: error.message } });
        }
        throw error;
      }
      // Signed by the wallet, but for this merchant? (Client-Id is inside the signed content.)
      const clientId = request.headers['client-id'];
      if (clientId !== config.clientId) {
        request.log.warn({ clientId }, 'notification for another Client-Id rejected');
        return reply.status(401).send({ error: { code: 'UNKNOWN_CLIENT', message: 'the notification is not addressed to this merchant\'s Client-Id' } });
      }
      const handled = await notifications.handle(notification, rawBody);
      const signed = signedResponse({
        result: handled.ack,
        clientId: config.clientId,
        privateKey: config.merchantPrivateKey,
        method: 'POST',
        path,
        now: new Date(context.clock()),
      });
      return reply.status(200).headers(signed.headers).send(signed.body);
    });
  });
}
