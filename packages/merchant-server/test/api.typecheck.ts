// Type-level tests, proven by `npm run typecheck` (never run by jest).
import { OpenApiClient } from '@minipay/openapi';
import type { Order as OrderJson, OrderStatus } from '@minipay/contract';
import { startMerchantServer, type WalletApi } from '../src';
import type { TransitionOutcome } from '../src/order-state';
import { checkSessionToken, type SessionCheck } from '../src/session';

// The real client is a WalletApi: the server can be handed one, or a wrapper of one.
declare const client: OpenApiClient;
export const wallet: WalletApi = client;

// Every option has a default for the local stack; a port is a number.
void startMerchantServer({ port: 0 });
// @ts-expect-error a port is a number, not text
void startMerchantServer({ port: '8200' });
void startMerchantServer({ home: '/tmp/h', log: false });
void startMerchantServer({ home: '/tmp/h', log: { level: 'warn', stream: { write: () => {} } } });
// @ts-expect-error log levels are pino's
void startMerchantServer({ home: '/tmp/h', log: { level: 'loud' } });

// Order statuses are a closed set.
export const created: OrderStatus = 'CREATED';
// @ts-expect-error not a status
export const done: OrderStatus = 'DONE';

// Amounts on the wire are strings of minor units.
declare const order: OrderJson;
export const value: string = order.amount.value;
// @ts-expect-error not a number
export const numeric: number = order.amount.value;

// Outcomes are values: a switch must handle every case.
export function describeOutcome(outcome: TransitionOutcome): string {
  switch (outcome.status) {
    case 'applied':
      return `now ${outcome.order.status}`;
    case 'unchanged':
      return 'already there';
    case 'conflict':
      return `stays ${outcome.order.status}`;
    case 'missing':
      return 'no such order';
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

export function sessionCustomer(check: SessionCheck): string | undefined {
  // @ts-expect-error claims exist only on valid/expired checks
  void check.claims;
  return check.status === 'valid' ? check.claims.customerId : undefined;
}
void checkSessionToken;
