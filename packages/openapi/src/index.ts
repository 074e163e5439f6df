// The public API, export by export: what a merchant backend (or anything playing the wallet) uses.
export type {
  Amount,
  ApplyTokenRequest,
  ApplyTokenResponse,
  Buyer,
  CancelPaymentRequest,
  CancelPaymentResponse,
  GrantType,
  InquiryPaymentRequest,
  InquiryPaymentResponse,
  Merchant,
  NotifyPaymentRequest,
  NotifyPaymentResponse,
  Order,
  PaymentReference,
  PaymentStatus,
  PayRequest,
  PayResponse,
  RedirectActionForm,
  RefundRequest,
  RefundResponse,
  Result,
  ResultStatus,
} from './types';
export { OpenApiError, SignatureError, KeyFormatError, TransportError, TimeoutError, ProtocolError } from './errors';
export type {
  OpenApiErrorName,
  OpenApiErrorCode,
  OpenApiErrorOptions,
  SignatureErrorCode,
  ProtocolErrorCode,
  KeyFormatErrorCode,
  TransportErrorCode,
  TimeoutErrorCode,
  UsageErrorCode,
} from './errors';
export { parsePrivateKey, parsePublicKey, PRIVATE_KEY_FORMATS, PUBLIC_KEY_FORMATS } from './keys';
export type { Algorithm, KeyInput } from './keys';
export { sign, signAsync, verify, verifyAsync, parseSignatureHeader, signingContent } from './sign';
export type { SignOptions, VerifyOptions, SignatureHeader } from './sign';
export { formatRequestTime, parseRequestTime, ACCEPTED_TIME_FORMS } from './request-time';
export type { Clock, TimeForm } from './request-time';
export { requestPath } from './request-target';
export { signRequest, signRequestAsync, verifyRequest, verifyRequestAsync } from './request';
export type {
  SignRequestOptions,
  VerifyRequestOptions,
  VerifiedRequest,
  PublicKeySource,
  HeadersInput,
  RawBody,
} from './request';
export { signedResponse, signedResponseAsync, verifyResponse, verifyResponseAsync, SUCCESS_RESULT } from './response';
export type { SignedResponseOptions, VerifyResponseOptions } from './response';
export { verifyNotification, verifyNotificationAsync } from './notify';
export type { VerifyNotificationOptions } from './notify';
export { OpenApiClient } from './client';
export type { OpenApiClientOptions, OpenApiResult } from './client';
export { diagnoseSignature, diagnoseRequest, diagnoseResponse, describeSignedContent, formatDiagnosis } from './doctor';
export type {
  SignatureDiagnosis,
  DiagnosisCause,
  CheckedMessage,
  CheckedContent,
  NamedKey,
  KeyFingerprint,
  DiagnoseRequestOptions,
  DiagnoseResponseOptions,
} from './doctor';
export { keyFingerprint } from './fingerprint';
export { readResult } from './internal/result';
export { describeNetworkError } from './network-error';
