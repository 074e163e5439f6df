// One page of an order listing, newest first, for the customer's `GET /api/orders` and the operator's
// `GET /admin/orders`: the `limit` and `cursor` of the query string read and checked, one row more than the page
// fetched to know whether there is a next one, and the cursor of the next page (the last order's creation time and
// id, opaque to clients: Base64url of `<createdAt>.<id>`).
import { ORDER_PAGE_LIMITS } from '@minipay/contract';
import { HttpError } from '../errors';
import type { OrderRecord } from '../order-record';
import type { OrderListQuery, Storage } from '../storage';

/** The query-string fields both listings share. Query strings are text: the numbers are parsed here. */
export const PAGE_QUERY_PROPERTIES = {
  limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
  cursor: { type: 'string', minLength: 1, maxLength: 200 },
} as const;

export interface PageQuery {
  limit?: string;
  cursor?: string;
}

export interface OrderListPage {
  orders: OrderRecord[];
  nextCursor?: string;
}

export function encodeCursor(order: Pick<OrderRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(`${order.createdAt}.${order.id}`, 'utf8').toString('base64url');
}

/** @throws HttpError 400 INVALID_CURSOR for anything `encodeCursor` did not make. */
export function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (match === null) {
    throw new HttpError('cursor is not one this server gave out; pass the nextCursor of the previous page', {
      statusCode: 400,
      code: 'INVALID_CURSOR',
    });
  }
  return { createdAt: Number(match[1]), id: match[2] as string };
}

/** @throws HttpError 400 INVALID_REQUEST naming `limit` when it is out of range. */
export function pageLimit(limit: string | undefined): number {
  if (limit === undefined) return ORDER_PAGE_LIMITS.defaultLimit;
  const value = Number(limit);
  if (value < 1 || value > ORDER_PAGE_LIMITS.maxLimit) {
    throw new HttpError(`querystring.limit must be from 1 to ${ORDER_PAGE_LIMITS.maxLimit}`, {
      statusCode: 400,
      code: 'INVALID_REQUEST',
    });
  }
  return value;
}

/** One page of the orders `filter` selects, and the cursor of the next one when there is more. */
export async function listOrderPage(
  storage: Storage,
  filter: Omit<OrderListQuery, 'limit' | 'after'>,
  page: PageQuery,
): Promise<OrderListPage> {
  const limit = pageLimit(page.limit);
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const rows = await storage.listOrders({ ...filter, ...(after === undefined ? {} : { after }), limit: limit + 1 });
  const orders = rows.slice(0, limit);
  const last = orders[orders.length - 1];
  return rows.length > limit && last !== undefined ? { orders, nextCursor: encodeCursor(last) } : { orders };
}
