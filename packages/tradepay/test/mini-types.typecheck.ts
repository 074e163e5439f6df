// The real `my`, as @mini-types/alipay types it, is accepted by `options.my` without a cast, although
// those types lack `paymentUrl` (docs/PROTOCOL.md §3). Loading the package declares the global `my` for this program.
/// <reference types="@mini-types/alipay" />
// A standard AbortSignal (Node's here; a polyfill in a mini program) is accepted as `signal`.
/// <reference types="node" />
import { confirmPayment, tradePay, type AbortSignalLike, type MyLike, type TradePayOutcome } from '../src';

export const runtime: MyLike = my;

export function withTheRealMy(): Promise<TradePayOutcome> {
  return tradePay({ paymentUrl: 'https://wallet.example/cashier/P1' }, { my });
}

export function withAStandardSignal(outcome: TradePayOutcome) {
  const signal: AbortSignalLike = new AbortController().signal;
  return confirmPayment(outcome, { check: async () => ({ status: 'PAID' }), signal });
}

// The typings' own tradePay cannot take the Alipay+ input, which is why this package types all three.
// @ts-expect-error paymentUrl is missing from @mini-types/alipay 3.0.x
my.tradePay({ paymentUrl: 'https://wallet.example/cashier/P1' });
