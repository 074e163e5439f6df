// The customer's orders: create one priced from the catalog, read it (owner only; others get 404, so ids cannot be
// probed), and start paying for it.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { priceOrder } from '../catalog';
import { HttpError } from '../errors';
import { authenticate } from '../internal/authenticate';
import type { AppContext } from '../internal/context';
import { toOrderJson } from '../order-json';
import { errorSummary } from '../internal/error-summary';
import { createOrderBodySchema, orderParamsSchema, type CreateOrderBody, type OrderParams } from '../schemas';
import type { OrderRecord } from '../storage';

/** How long a read of a stale PAYING order waits for the wallet's answer before returning what is known. */
const INQUIRY_WAIT_MS = 3000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function registerOrderRoutes(app: FastifyInstance, context: AppContext): void {
  const { storage, payments, config } = context;

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
    let order = await ownOrder(request.params.id, customerId);
    if (order.status === 'CREATED') order = await payments.expireIfDue(order);
    if (order.status === 'PAYING' && order.payingSince !== null && context.clock() - order.payingSince >= config.reconcileAfterMs) {
      // The result page asks for the truth: when the wallet has been silent too long, ask it now (rate-limited per
      // order). The page waits at most INQUIRY_WAIT_MS; a slower inquiry goes on and the next read sees its result.
      const current = order;
      const inquiry = payments.reconcile(current).catch((error: unknown) => {
        request.log.warn({ orderId: current.id, err: errorSummary(error) }, 'inquiry on read failed');
        return current;
      });
      order = await Promise.race([inquiry, delay(INQUIRY_WAIT_MS).then(() => current)]);
    }
    return toOrderJson(order, config.merchantName);
  });

  app.post<{ Params: OrderParams }>('/api/orders/:id/payment', { schema: { params: orderParamsSchema } }, async (request) => {
    const customerId = authenticate(request, context);
    const order = await ownOrder(request.params.id, customerId);
    return payments.startPayment(order);
  });

  async function ownOrder(id: string, customerId: string): Promise<OrderRecord> {
    const order = await storage.getOrder(id);
    // Someone else's order is "not found", not "forbidden": the answer must not reveal that the id exists.
    if (order === undefined || order.customerId !== customerId) throw new HttpError(404, 'ORDER_NOT_FOUND', `no order ${id}`);
    return order;
  }
}
