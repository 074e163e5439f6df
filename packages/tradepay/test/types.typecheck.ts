// Type-level tests, proven by `npm run typecheck` (tsconfig.json includes test/). Each `@ts-expect-error`
// fails the type check if the line below it compiles, so these tests fail when the types loosen.
// Only type-checked, never run.
import {
  confirmPayment,
  tradePay,
  type AbortSignalLike,
  type MyLike,
  type OrderLike,
  type PaymentResult,
  type PaymentStatus,
  type TradePayErrorCode,
  type TradePayOutcome,
  type TradePayRequest,
} from '../src';

function assertNever(value: never): never {
  throw new Error('unexpected ' + JSON.stringify(value));
}

// A switch over every status compiles, and narrows: only `error` outcomes have `errorMessage`.
export function exhaustive(outcome: TradePayOutcome): string {
  switch (outcome.status) {
    case 'paid':
    case 'processing':
    case 'failed':
    case 'cancelled':
    case 'network-error':
    case 'unknown':
    case 'not-permitted':
      return outcome.resultCode;
    case 'error':
      return `${outcome.error}: ${outcome.errorMessage}`;
    default:
      return assertNever(outcome);
  }
}

// A switch that misses a case (here `not-permitted`) does not compile.
export function missesACase(outcome: TradePayOutcome): string {
  switch (outcome.status) {
    case 'paid':
    case 'processing':
    case 'failed':
    case 'cancelled':
    case 'network-error':
    case 'unknown':
      return outcome.resultCode;
    case 'error':
      return outcome.errorMessage;
    default:
      // @ts-expect-error the `not-permitted` outcome reaches `never`
      return assertNever(outcome);
  }
}

// Likewise for the server's verdict.
export function exhaustivePayment(status: PaymentStatus): string {
  switch (status) {
    case 'paid':
    case 'failed':
    case 'cancelled':
      return status;
    default:
      // @ts-expect-error `pending` is not handled
      return assertNever(status);
  }
}

export function errorFieldsOnlyOnErrors(outcome: TradePayOutcome): void {
  // @ts-expect-error `errorMessage` exists only once narrowed to `error`
  void outcome.errorMessage;
  if (outcome.status === 'error') void outcome.errorMessage;
}

declare const url: string;

export const oneInput: TradePayRequest[] = [
  { paymentUrl: url },
  { tradeNO: 'T' },
  { orderStr: 'o' },
  { paymentUrl: url, tradeNO: undefined },
];

export function requestShapes(): void {
  // @ts-expect-error two inputs at once
  void tradePay({ paymentUrl: url, tradeNO: 'T' });
  // @ts-expect-error two inputs at once, the other pair
  void tradePay({ tradeNO: 'T', orderStr: 'o' });
  // @ts-expect-error all three
  void tradePay({ paymentUrl: url, tradeNO: 'T', orderStr: 'o' });
  // @ts-expect-error none
  void tradePay({});
  // @ts-expect-error not a string
  void tradePay({ paymentUrl: 42 });
  // @ts-expect-error the JSAPI's spelling is tradeNO
  void tradePay({ tradeNo: 'T' });
  // @ts-expect-error callbacks are not taken: await the promise
  void tradePay({ paymentUrl: url, success: () => undefined });
  // @ts-expect-error a variable holding two inputs is refused too, not only a literal
  const both: TradePayRequest = { paymentUrl: url, orderStr: 'o' } as { paymentUrl: string; orderStr: string };
  void both;
}

// The outcome resolves, it does not reject: its type is the union, and a TradePayError code is a closed set.
export async function resolvesAnOutcome(my: MyLike): Promise<TradePayOutcome> {
  const code: TradePayErrorCode = 'BUSY';
  // @ts-expect-error not a TradePayError code
  const wrong: TradePayErrorCode = 'TIMEOUT';
  void code;
  void wrong;
  return tradePay({ paymentUrl: url }, { my, timeoutMs: 30_000 });
}

// confirmPayment keeps the caller's order type, so the page reads its own fields without casts.
interface Order extends OrderLike {
  id: string;
  status: 'CREATED' | 'PAYING' | 'PAID' | 'FAILED' | 'CANCELLED' | 'EXPIRED';
  amount: { currency: string; value: string };
}
declare function fetchOrder(id: string): Promise<Order>;
declare const signal: AbortSignalLike;

export async function typedOrder(outcome: TradePayOutcome): Promise<string | undefined> {
  const result: PaymentResult<Order> = await confirmPayment(outcome, { check: () => fetchOrder('O1'), signal });
  // @ts-expect-error the order may be missing when every check failed
  void result.order.amount;
  // @ts-expect-error check must resolve something with a status
  void confirmPayment(outcome, { check: async () => ({ id: 'O1' }) });
  return result.order && result.order.amount.value;
}
