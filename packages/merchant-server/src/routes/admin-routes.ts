// The operator API: every customer's orders (filtered by status and creation date), one order with its history,
// refunds and cancels. Authenticated by `MINIPAY_ADMIN_TOKEN` (internal/authenticate-admin.ts), never by a customer's
// session. `npm run refund` is a client of it.
import {
  formatAmount,
  ORDER_STATUSES,
  type AdminOrderPage,
  type CancelOrderResponse,
  type OrderStatus,
  type RefundOrderRequest,
  type RefundOrderResponse,
  type RefundRefusedBody,
} from '@minipay/contract';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors';
import { authenticateAdmin } from '../internal/authenticate-admin';
import type { AppContext } from '../internal/context';
import { toAmount } from '../internal/money';
import { listOrderPage, PAGE_QUERY_PROPERTIES, type PageQuery } from '../internal/order-listing';
import { toAdminOrderJson, toRefundJson } from '../order-json';
import type { OrderRecord } from '../order-record';
import { orderParamsSchema, type OrderParams } from '../schemas';

interface AdminListQuery extends PageQuery {
  /** Comma-separated statuses, e.g. `PAID,CANCELLED`. */
  status?: string;
  /** Created at or after (ISO 8601). */
  from?: string;
  /** Created before (ISO 8601). */
  to?: string;
}

const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...PAGE_QUERY_PROPERTIES,
    status: { type: 'string', minLength: 1, maxLength: 100 },
    from: { type: 'string', minLength: 1, maxLength: 40 },
    to: { type: 'string', minLength: 1, maxLength: 40 },
  },
} as const;

const refundBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Minor units, as everywhere on the wire; at most 18 digits (below 2^63, and far below 2^53 for real amounts).
    amount: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' },
    reason: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

export function registerAdminRoutes(app: FastifyInstance, context: AppContext): void {
  const { storage, refunder, canceller, config } = context;

  app.addHook('onRequest', async (request) => {
    if (request.url === '/admin' || request.url.startsWith('/admin/')) authenticateAdmin(request, context);
  });

  const adminOrder = async (order: OrderRecord) =>
    toAdminOrderJson(
      order,
      config.merchantName,
      await storage.listRefunds(order.id),
      await storage.listEvents(order.id),
    );

  const findOrder = async (id: string): Promise<OrderRecord> => {
    const order = await storage.getOrder(id);
    if (order === undefined) throw new HttpError(`no order ${id}`, { statusCode: 404, code: 'ORDER_NOT_FOUND' });
    return order;
  };

  app.get<{ Querystring: AdminListQuery }>(
    '/admin/orders',
    { schema: { querystring: listQuerySchema } },
    async (request): Promise<AdminOrderPage> => {
      const { status, from, to } = request.query;
      const filter = {
        ...(status === undefined ? {} : { statuses: parseStatuses(status) }),
        ...(from === undefined ? {} : { createdFrom: parseTime(from, 'from') }),
        ...(to === undefined ? {} : { createdBefore: parseTime(to, 'to') }),
      };
      const page = await listOrderPage(storage, filter, request.query);
      const orders = await Promise.all(page.orders.map(adminOrder));
      return page.nextCursor === undefined ? { orders } : { orders, nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: OrderParams }>('/admin/orders/:id', { schema: { params: orderParamsSchema } }, async (request) =>
    adminOrder(await findOrder(request.params.id)),
  );

  app.post<{ Params: OrderParams; Body: RefundOrderRequest | undefined }>(
    '/admin/orders/:id/refunds',
    { schema: { params: orderParamsSchema, body: refundBodySchema } },
    async (request, reply): Promise<RefundOrderResponse | RefundRefusedBody> => {
      const body = request.body ?? {};
      const outcome = await refunder.refund(request.params.id, {
        ...(body.amount === undefined ? {} : { amount: Number(body.amount) }),
        ...(body.reason === undefined ? {} : { reason: body.reason }),
        initiator: 'operator',
      });
      switch (outcome.status) {
        case 'missing':
          throw new HttpError(`no order ${request.params.id}`, { statusCode: 404, code: 'ORDER_NOT_FOUND' });
        case 'not-refundable':
          throw new HttpError(
            `the order is ${outcome.order.status} and no money was received for it; only a PAID order can be refunded`,
            { statusCode: 409, code: 'ORDER_NOT_REFUNDABLE' },
          );
        case 'invalid-amount':
          throw new HttpError('amount must be a positive whole number of minor units', {
            statusCode: 400,
            code: 'INVALID_REQUEST',
          });
        case 'exceeds': {
          const left = formatAmount(toAmount(outcome.order.currency, outcome.refundable));
          throw new HttpError(
            `the refund would exceed what was paid: ${left} is left to refund (refunds pending count as given)`,
            { statusCode: 409, code: 'REFUND_EXCEEDS_PAID' },
          );
        }
        case 'duplicate':
        case 'sent': {
          const { refund } = outcome;
          if (refund.status === 'FAILED') {
            reply.status(402);
            return {
              error: {
                code: 'REFUND_REFUSED',
                message: `the wallet refused the refund: ${refund.failCode} ${refund.failMessage ?? ''}`.trim(),
              },
              refund: toRefundJson(refund),
            };
          }
          reply.status(refund.status === 'SUCCEEDED' ? 201 : 202);
          return { refund: toRefundJson(refund), order: await adminOrder(outcome.order) };
        }
      }
    },
  );

  app.post<{ Params: OrderParams }>(
    '/admin/orders/:id/cancel',
    { schema: { params: orderParamsSchema } },
    async (request): Promise<CancelOrderResponse> => {
      const order = await findOrder(request.params.id);
      const outcome = await canceller.cancel(order, 'CANCELLED', 'cancelled by the operator');
      switch (outcome.status) {
        case 'missing':
          throw new HttpError(`no order ${request.params.id}`, { statusCode: 404, code: 'ORDER_NOT_FOUND' });
        case 'closed':
          return { order: await adminOrder(outcome.order) };
        case 'final':
          throw new HttpError(
            outcome.order.status === 'PAID'
              ? 'the order is PAID: refund it instead (POST /admin/orders/:id/refunds)'
              : `the order is ${outcome.order.status} already`,
            { statusCode: 409, code: 'ORDER_NOT_CANCELLABLE' },
          );
        case 'refused':
          throw new HttpError(`the wallet refused to cancel the payment: ${outcome.code} ${outcome.message}`.trim(), {
            statusCode: 409,
            code: 'CANCEL_REFUSED',
          });
        case 'pending':
          throw new HttpError('the wallet did not answer the cancel; try again (the same payment is cancelled)', {
            statusCode: 503,
            code: 'CANCEL_PENDING',
          });
      }
    },
  );
}

/** `PAID,CANCELLED` → the statuses. @throws HttpError 400 naming an unknown one. */
function parseStatuses(text: string): OrderStatus[] {
  return text.split(',').map((each) => {
    const status = each.trim().toUpperCase();
    if (!(ORDER_STATUSES as readonly string[]).includes(status)) {
      throw new HttpError(
        `querystring.status ${JSON.stringify(each)} is not an order status; expected some of ${ORDER_STATUSES.join(', ')}`,
        { statusCode: 400, code: 'INVALID_REQUEST' },
      );
    }
    return status as OrderStatus;
  });
}

/** An ISO 8601 date or time (`2026-12-01`, `2026-12-01T10:00:00Z`) as epoch ms. @throws HttpError 400 naming the field. */
function parseTime(text: string, field: 'from' | 'to'): number {
  const at = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March 2: the day must exist in its month.
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (Number.isNaN(at) || month < 1 || month > 12 || day < 1 || day > daysInMonth) {
    throw new HttpError(
      `querystring.${field} must be an ISO 8601 date or time such as 2026-12-01 or 2026-12-01T10:00:00Z; got ${JSON.stringify(text)}`,
      { statusCode: 400, code: 'INVALID_REQUEST' },
    );
  }
  return at;
}
