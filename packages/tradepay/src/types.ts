/** What `my.tradePay` is called with: one of the three inputs plus the two callbacks the wrapper listens to. */
export interface TradePayJsapiParams {
  paymentUrl?: string;
  tradeNO?: string;
  orderStr?: string;
  success?(result: { resultCode: string | number }): void;
  fail?(error: { error?: number | string; errorMessage?: string }): void;
}

/**
 * The part of the mini program runtime (`my`) this package uses. Kept minimal so that users need not
 * install `@mini-types/alipay`; the real `my` it types is assignable to this interface, and so is a fake.
 */
export interface MyLike {
  tradePay(params: TradePayJsapiParams): unknown;
}

/**
 * The part of `AbortSignal` that `confirmPayment` uses; a standard `AbortSignal` (or a polyfill,
 * since mini program runtimes may lack one) is assignable to it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
