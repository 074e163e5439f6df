export { tradePay } from './trade-pay';
export type { TradePayInput, TradePayOptions, TradePayRequest } from './trade-pay';
export { confirmPayment, DEFAULT_SCHEDULE } from './confirm-payment';
export type { ConfirmPaymentOptions, OrderLike, PaymentResult, PaymentStatus } from './confirm-payment';
export { describeOutcome, isFinal } from './describe';
export { statusForResultCode } from './result-codes';
export type { ResultCodeStatus } from './result-codes';
export { TradePayError } from './errors';
export type { TradePayErrorCode } from './errors';
export type {
  CancelledOutcome,
  ErrorOutcome,
  FailedOutcome,
  NetworkErrorOutcome,
  NotPermittedOutcome,
  PaidOutcome,
  ProcessingOutcome,
  TradePayOutcome,
  TradePayStatus,
  UnknownOutcome,
} from './outcome';
export type { AbortSignalLike, MyLike, TradePayJsapiParams } from './types';
