// The part of `@minipay/openapi`'s `OpenApiClient` the server uses. `startMerchantServer` builds a real client;
// the interface lets a test or an operator wrap it (metrics, a circuit breaker) without touching the server.
import type {
  ApplyTokenRequest,
  ApplyTokenResponse,
  CancelPaymentRequest,
  CancelPaymentResponse,
  InquiryPaymentRequest,
  InquiryPaymentResponse,
  OpenApiResult,
  PayRequest,
  PayResponse,
  RefundRequest,
  RefundResponse,
} from '@minipay/openapi';

export interface WalletApi {
  pay(request: PayRequest): Promise<OpenApiResult<PayResponse>>;
  inquiryPayment(request: InquiryPaymentRequest): Promise<OpenApiResult<InquiryPaymentResponse>>;
  applyToken(request: ApplyTokenRequest): Promise<OpenApiResult<ApplyTokenResponse>>;
  refund(request: RefundRequest): Promise<OpenApiResult<RefundResponse>>;
  cancelPayment(request: CancelPaymentRequest): Promise<OpenApiResult<CancelPaymentResponse>>;
}
