// The customer's orders: create one priced from the catalog, read it (owner only; others get 404, so ids cannot be
// probed), and start paying for it.
import { randomBytes } from 'node:crypto';
import type { PaymentStart } from '@minipay/contract';
import type { FastifyInstance } from 'fastify';
import { priceOrder } from '../catalog';
import { HttpError } from '../errors';
import { authenticate } from '../internal/authenticate';
import type { AppContext } from '../internal/context';
import { toOrderJson } from '../order-json';
import type { PaymentStartResult } from '../payment-start';
import { errorSummary } from '../internal/error-summary';
import { createOrderBodySchema, orderParamsSchema, type CreateOrderBody, type OrderParams } from '../schemas';
import type { OrderRecord } from '../order-record';

/** How long a read of a stale PAYING order waits for the wallet's answer before returning what is known. */
const INQUIRY_WAIT_MS = 3000;

/** The HTTP answer to each way starting a payment can end. */
export function paymentStartAnswer(result: PaymentStartResult): PaymentStart {
  switch (result.status) {
    case 'started':
      return { paymentUrl: result.paymentUrl, paymentId: result.paymentId };
    case 'refused':
      throw result.orderFailed
        ? new HttpError(402, result.code, result.message || 'the wallet refused the payment')
        : new HttpError(409, result.code, result.message || 'the wallet refused to pay again for this order');
    case 'pending':
      return pendingAnswer(result.reason);
    case 'not-payable':
      throw new HttpError(409, 'ORDER_NOT_PAYABLE', `the order is ${result.orderStatus} and can no longer be paid`);
    case 'expired':
      throw new HttpError(409, 'ORDER_EXPIRED', 'the order expired before it was paid');
  }
}

function pendingAnswer(reason: Extract<PaymentStartResult, { status: 'pending' }>['reason']): never {
  switch (reason) {
    case 'inconsistent':
      throw new HttpError(502, 'WALLET_INCONSISTENT', 'the wallet answered a different payment for this order');
    case 'no-cashier-url':
      throw new HttpError(503, 'PAYMENT_PENDING', 'the wallet accepted the payment without a cashier URL; try again in a moment');
    case 'no-answer':
      throw new HttpError(503, 'PAYMENT_PENDING', 'the wallet did not answer; try again in a moment (the same payment is reused)');
    case 'unknown':
      throw new HttpError(503, 'PAYMENT_PENDING', 'the payment is being processed; try again in a moment (the same payment is reused)');
  }
}

export function registerOrderRoutes(app: FastifyInstance, context: AppContext): void {
  const { storage, payments, inquirer, config } = context;

  app.post<{ Body: CreateOrderBody }>('/api/orders', { schema: { body: createOrderBodySchema } }, async (request, reply) => {
    const customerId = authenticate(request, context);
    const priced = priceOrder(request.body.items);
    const now = context.clock();
    const id = `ord_${randomBytes(12).toString('base64url')}`;
    await storage.createOrder({ id, customerId, currency: priced.currency, amount: priced.amount, lines: priced.lines, createdAt: now, expiresAt: now + config.orderTtlMs });
    const order = await storage.getOrder(id);
    reply.status(201);
    return toOrderJson(order as OrderRecord, config.merchantName);
  });

  app.get<{ Params: OrderParams }>('/api/orders/:id', { schema: { params: orderParamsSchema } }, async (request) => {
    const customerId = authenticate(request, context);
    const order = await ownOrder(request.params.id, customerId);
    // The result page asks for the truth: an expired order is expired, and when the wallet has been silent too long
    // it is asked now (the inquirer's rule and rate limit). The page waits at most INQUIRY_WAIT_MS; a slower inquiry
    // goes on and the next read sees its result.
    const current = await inquirer.refresh(order, { waitMs: INQUIRY_WAIT_MS }).catch((error: unknown) => {
      request.log.warn({ orderId: order.id, err: errorSummary(error) }, 'inquiry on read failed');
      return order;
    });
    return toOrderJson(current, config.merchantName);
  });

  app.post<{ Params: OrderParams }>('/api/orders/:id/payment', { schema: { params: orderParamsSchema } }, async (request) => {
    const customerId = authenticate(request, context);
    const order = await ownOrder(request.params.id, customerId);
    return paymentStartAnswer(await payments.start(order));
  });

  async function ownOrder(id: string, customerId: string): Promise<OrderRecord> {
    const order = await storage.getOrder(id);
    // Someone else's order is "not found", not "forbidden": the answer must not reveal that the id exists.
    if (order === undefined || order.customerId !== customerId) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${id}`);
    return order;
  }
}
