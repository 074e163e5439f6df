// The customer's orders: create one priced from the catalog, read it (owner only; others get 404, so ids cannot be
// probed), and start paying for it.
import { createHash, randomBytes } from 'node:crypto';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  type CartLine,
  type OrderPage,
  type PaymentStart,
} from '@minipay/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../errors';
import { authenticate } from '../internal/authenticate';
import type { AppContext } from '../internal/context';
import { toOrderJson } from '../order-json';
import type { PaymentStartResult } from '../payment-start';
import { errorSummary } from '../internal/error-summary';
import { listOrderPage, PAGE_QUERY_PROPERTIES, type PageQuery } from '../internal/order-listing';
import { createOrderBodySchema, orderParamsSchema, type CreateOrderBody, type OrderParams } from '../schemas';
import type { NewOrder, OrderRecord } from '../order-record';

/** How long a read of a stale PAYING order waits for the wallet's answer before returning what is known. */
const INQUIRY_WAIT_MS = 3000;

/** The HTTP answer to each way starting a payment can end. */
export function paymentStartAnswer(result: PaymentStartResult): PaymentStart {
  switch (result.status) {
    case 'started':
      return { paymentUrl: result.paymentUrl, paymentId: result.paymentId };
    case 'refused':
      throw result.orderFailed
        ? new HttpError(result.message || 'the wallet refused the payment', { statusCode: 402, code: result.code })
        : new HttpError(result.message || 'the wallet refused to pay again for this order', {
            statusCode: 409,
            code: result.code,
          });
    case 'pending':
      return pendingAnswer(result.reason);
    case 'not-payable':
      throw new HttpError(`the order is ${result.orderStatus} and can no longer be paid`, {
        statusCode: 409,
        code: 'ORDER_NOT_PAYABLE',
      });
    case 'expired':
      throw new HttpError('the order expired before it was paid', { statusCode: 409, code: 'ORDER_EXPIRED' });
  }
}

function pendingAnswer(reason: Extract<PaymentStartResult, { status: 'pending' }>['reason']): never {
  switch (reason) {
    case 'inconsistent':
      throw new HttpError('the wallet answered a different payment for this order', {
        statusCode: 502,
        code: 'WALLET_INCONSISTENT',
      });
    case 'no-cashier-url':
      throw new HttpError('the wallet accepted the payment without a cashier URL; try again in a moment', {
        statusCode: 503,
        code: 'PAYMENT_PENDING',
      });
    case 'no-answer':
      throw new HttpError('the wallet did not answer; try again in a moment (the same payment is reused)', {
        statusCode: 503,
        code: 'PAYMENT_PENDING',
      });
    case 'unknown':
      throw new HttpError('the payment is being processed; try again in a moment (the same payment is reused)', {
        statusCode: 503,
        code: 'PAYMENT_PENDING',
      });
  }
}

/** The request's `Idempotency-Key`, or undefined without one. @throws HttpError 400 INVALID_IDEMPOTENCY_KEY. */
function idempotencyKey(headers: FastifyRequest['headers']): string | undefined {
  const value = headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new HttpError(`${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 printable ASCII characters, sent once`, {
      statusCode: 400,
      code: 'INVALID_IDEMPOTENCY_KEY',
    });
  }
  return value;
}

/** What makes two creates the same request: the cart's lines (product and quantity) in their order. */
function cartHash(items: readonly CartLine[]): string {
  const lines = items.map((item) => [item.productId, item.quantity]);
  return createHash('sha256').update(JSON.stringify(lines)).digest('hex');
}

export function registerOrderRoutes(app: FastifyInstance, context: AppContext): void {
  const { storage, payments, inquirer, config } = context;

  app.post<{ Body: CreateOrderBody }>(
    '/api/orders',
    { schema: { body: createOrderBodySchema } },
    async (request, reply) => {
      const customerId = authenticate(request, context);
      const key = idempotencyKey(request.headers);
      const priced = context.catalog.price(request.body.items);
      const now = context.clock();
      const id = `ord_${randomBytes(12).toString('base64url')}`;
      const order: NewOrder = {
        id,
        customerId,
        currency: priced.currency,
        amount: priced.amount,
        lines: priced.lines,
        createdAt: now,
        expiresAt: now + config.orderTtlMs,
      };
      reply.status(201);
      if (key === undefined) {
        await storage.createOrder(order);
        return toOrderJson((await storage.getOrder(id)) as OrderRecord, config.merchantName);
      }
      const requestHash = cartHash(request.body.items);
      const held = await storage.createOrderOnce(order, { key, requestHash });
      if (!held.created && held.requestHash !== requestHash) {
        throw new HttpError(
          `the ${IDEMPOTENCY_KEY_HEADER} was used for another cart; send a new key for a new checkout`,
          { statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' },
        );
      }
      // A retry gets the order its first attempt created, as it is now.
      if (!held.created) reply.header('idempotent-replayed', 'true');
      return toOrderJson(held.order, config.merchantName);
    },
  );

  // The customer's own orders, newest first, a page at a time (`nextCursor` until the last page). What is stored is
  // shown as it is: a stale PAYING order is refreshed when it is opened (GET /api/orders/:id), not by the listing.
  app.get<{ Querystring: PageQuery }>(
    '/api/orders',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: PAGE_QUERY_PROPERTIES } } },
    async (request): Promise<OrderPage> => {
      const customerId = authenticate(request, context);
      const page = await listOrderPage(storage, { customerId }, request.query);
      const orders = await Promise.all(
        page.orders.map(async (order) => toOrderJson(order, config.merchantName, await storage.listRefunds(order.id))),
      );
      return page.nextCursor === undefined ? { orders } : { orders, nextCursor: page.nextCursor };
    },
  );

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
    return toOrderJson(current, config.merchantName, await storage.listRefunds(current.id));
  });

  app.post<{ Params: OrderParams }>(
    '/api/orders/:id/payment',
    { schema: { params: orderParamsSchema } },
    async (request) => {
      const customerId = authenticate(request, context);
      const order = await ownOrder(request.params.id, customerId);
      return paymentStartAnswer(await payments.start(order));
    },
  );

  async function ownOrder(id: string, customerId: string): Promise<OrderRecord> {
    const order = await storage.getOrder(id);
    // Someone else's order is "not found", not "forbidden": the answer must not reveal that the id exists.
    if (order === undefined || order.customerId !== customerId)
      throw new HttpError(`no order ${id}`, { statusCode: 404, code: 'ORDER_NOT_FOUND' });
    return order;
  }
}
