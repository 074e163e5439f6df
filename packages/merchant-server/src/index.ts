export { startMerchantServer } from './server';
export type { RunningMerchantServer, MerchantServerHooks } from './server';
export { loadConfig } from './config';
export type { MerchantServerOptions, ConfigSources, LogOption, LogDestination } from './config';
export { MerchantServerError } from './errors';
export type { MerchantServerErrorCode } from './errors';
// What a storage implements, and the records it stores.
export type { Storage, CustomerTokenRecord, InquiryClaim, InquiryClaimResult, OrderListQuery } from './storage';
export type {
  OrderRecord,
  OrderLineRecord,
  NewOrder,
  TransitionRequest,
  TransitionCause,
  OrderEventRecord,
  NotificationRecord,
  NotificationOutcome,
  RefundRecord,
  RefundStatus,
  RefundInitiator,
  NewRefund,
  RefundReservation,
  RefundSettlement,
  OutboxRecord,
  OutboxEventType,
} from './order-record';
export { SqliteStorage } from './sqlite-storage';
export type { SqliteStorageOptions } from './sqlite-storage';
export { PostgresStorage } from './postgres-storage';
export type { PostgresStorageOptions } from './postgres-storage';
export type { WalletApi } from './wallet-api';
export type { FulfilmentEvent, FulfilmentHook } from './fulfilment';
export { verifyFulfilmentSignature } from './fulfilment-signature';
export type { FulfilmentSignatureCheck, VerifyFulfilmentSignatureOptions } from './fulfilment-signature';
