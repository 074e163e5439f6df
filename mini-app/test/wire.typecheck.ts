// Type-level test, proven by `npm run typecheck` (never run by jest): the merchant server builds its JSON to the
// contract's types and the mini program reads it with the same types, so a change on the wire is a type error on
// both sides. (The mini program once kept its own copy of `Order`, which had already lost `expiresAt`.)
import type { Order, Product, SessionResponse } from '@minipay/contract';
import { toProductJson } from '../../packages/merchant-server/src/catalog';
import { toOrderJson } from '../../packages/merchant-server/src/order-json';
import type { MerchantApi } from '../src/api/client';

/** True only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

// The server's builders return exactly the contract's types...
expectType<Equal<ReturnType<typeof toOrderJson>, Order>>();
expectType<Equal<ReturnType<typeof toProductJson>, Product>>();
// ...and the mini program's client hands exactly those to the pages.
expectType<Equal<Awaited<ReturnType<MerchantApi['order']>>, Order>>();
expectType<Equal<Awaited<ReturnType<MerchantApi['createOrder']>>, Order>>();
expectType<Equal<Awaited<ReturnType<MerchantApi['products']>>, Product[]>>();

// A field of the wire missing is a type error wherever an order is built or read.
// @ts-expect-error expiresAt is part of the wire
export const withoutExpiry: Order = {
  id: 'ord_1',
  status: 'PAID',
  amount: { currency: 'USD', value: '100' },
  items: [],
  payee: { name: 'Shop' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
// @ts-expect-error amounts are strings of minor units, never numbers
export const numericAmount: Order['amount'] = { currency: 'USD', value: 100 };
// @ts-expect-error a status outside the contract
export const unknownStatus: Order['status'] = 'DONE';
// @ts-expect-error the session's expiry is always sent
export const session: SessionResponse = { token: 't', customerId: 'c' };
