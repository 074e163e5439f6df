export { startMerchantServer } from './server';
export type { RunningMerchantServer, MerchantServerHooks } from './server';
export { loadConfig } from './config';
export type { MerchantServerOptions, ConfigSources, LogOption, LogDestination } from './config';
export { MerchantServerError } from './errors';
export type { MerchantServerErrorCode } from './errors';
// What another storage (PostgreSQL) implements, and the records it stores.
export type { Storage, NotificationRecord, NotificationOutcome, CustomerTokenRecord, PayingCursor } from './storage';
export type {
  OrderRecord,
  OrderLineRecord,
  NewOrder,
  TransitionRequest,
  TransitionCause,
  OrderEventRecord,
} from './order-record';
export { SqliteStorage } from './sqlite-storage';
export type { SqliteStorageOptions } from './sqlite-storage';
export type { WalletApi } from './wallet-api';
