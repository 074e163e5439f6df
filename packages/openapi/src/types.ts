// Wire types of the Alipay+ Mini Program payment OpenAPIs (v2), as docs/PROTOCOL.md §4–§5 lays them out.
// Field names are the wire's own; optional fields are optional on the wire too.

/** `S` success, `F` failed, `U` unknown (retry or inquire, never treat as failed), `A`/`R` accepted. */
export type ResultStatus = 'S' | 'F' | 'U' | 'A' | 'R';

/** The `result` object every response body (and the notification's `paymentResult`) carries. */
export interface Result {
  resultStatus: ResultStatus;
  /** At most 64 characters, e.g. `SUCCESS`, `ACCEPT`, `PARAM_ILLEGAL`. */
  resultCode: string;
  /** At most 256 characters. */
  resultMessage?: string;
}

/** Money on the wire: an ISO 4217 currency and an integer amount in minor units, as a string (`"10000"` = 100.00 USD). */
export interface Amount {
  currency: string;
  value: string;
}

export interface Merchant {
  referenceMerchantId?: string;
  merchantName?: string;
  merchantMCC?: string;
  merchantDisplayName?: string;
}

export interface Buyer {
  referenceBuyerId?: string;
  buyerName?: { firstName?: string; lastName?: string; fullName?: string };
}

export interface Order {
  referenceOrderId: string;
  orderDescription: string;
  orderAmount: Amount;
  /** ISO 8601 with offset. */
  orderCreateTime?: string;
  merchant?: Merchant;
  buyer?: Buyer;
}

/** `POST /v2/payments/pay` request. */
export interface PayRequest {
  appId?: string;
  /** At most 64 characters: the idempotency key, reused by every retry of the same payment. */
  paymentRequestId: string;
  paymentAmount: Amount;
  order: Order;
  /** ISO 8601 with offset. */
  paymentExpiryTime?: string;
  paymentRedirectUrl?: string;
  /** At most 1024 characters. */
  paymentNotifyUrl?: string;
  /** At most 4096 characters. */
  extendInfo?: string;
  productCode?: string;
  paymentMethod?: { paymentMethodType?: string; paymentMethodId?: string };
  customerId?: string;
  referenceBuyerId?: string;
}

export interface RedirectActionForm {
  method?: string;
  redirectionUrl?: string;
  /** Some wallets send this name instead of `redirectionUrl`: read both. */
  redirectUrl?: string;
}

export interface PayResponse {
  result: Result;
  paymentId?: string;
  paymentTime?: string;
  redirectActionForm?: RedirectActionForm;
  extendInfo?: string;
}

/** `POST /v2/payments/notifyPayment`: wallet → the merchant's `paymentNotifyUrl`. */
export interface NotifyPaymentRequest {
  paymentId: string;
  paymentRequestId: string;
  /** `S` = paid, `F` = failed (the code says why). */
  paymentResult: Result;
  paymentAmount: Amount;
  paymentTime?: string;
  paymentCreateTime?: string;
  extendInfo?: string;
}

/** What the merchant answers to a notification; anything but `S` counts as `U` and the wallet retries. */
export interface NotifyPaymentResponse {
  result: Result;
}

/** Either id; `paymentId` wins when both are given. */
export interface PaymentReference {
  paymentId?: string;
  paymentRequestId?: string;
}

export type InquiryPaymentRequest = PaymentReference;

export type PaymentStatus = 'SUCCESS' | 'FAIL' | 'PROCESSING' | 'CANCELLED';

export interface InquiryPaymentResponse {
  result: Result;
  paymentId?: string;
  paymentRequestId?: string;
  paymentStatus?: PaymentStatus;
  paymentAmount?: Amount;
  paymentTime?: string;
  /** Why a `FAIL` payment failed: a `result`-like object with the wallet's code. */
  paymentFailReason?: { resultCode?: string; resultMessage?: string } | string;
  extendInfo?: string;
}

export type CancelPaymentRequest = PaymentReference;

export interface CancelPaymentResponse {
  result: Result;
  paymentId?: string;
  paymentRequestId?: string;
  cancelTime?: string;
}

export interface RefundRequest extends PaymentReference {
  /** The refund's idempotency key, reused by every retry. */
  refundRequestId: string;
  refundAmount: Amount;
  refundReason?: string;
  extendInfo?: string;
}

export interface RefundResponse {
  result: Result;
  refundId?: string;
  refundTime?: string;
}

export type GrantType = 'AUTHORIZATION_CODE' | 'REFRESH_TOKEN';

/** `POST /v2/authorizations/applyToken` (user-information capability). */
export interface ApplyTokenRequest {
  appId?: string;
  authClientId?: string;
  grantType: GrantType;
  /** From `my.getAuthCode`; required with `AUTHORIZATION_CODE`. */
  authCode?: string;
  /** Required with `REFRESH_TOKEN`. */
  refreshToken?: string;
  customerBelongsTo?: string;
}

export interface ApplyTokenResponse {
  result: Result;
  /** Stays on the merchant server; never returned to the mini program. */
  accessToken?: string;
  accessTokenExpiryTime?: string;
  refreshToken?: string;
  refreshTokenExpiryTime?: string;
  customerId?: string;
}
