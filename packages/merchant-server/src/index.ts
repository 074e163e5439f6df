export { startMerchantServer } from './server';
export type { RunningMerchantServer, MerchantServerHooks } from './server';
export { loadConfig, defaultDatabasePath, DEFAULTS, ENVIRONMENT_VARIABLES } from './config';
export type { MerchantServerOptions, ConfigSources, LogOption, LogDestination } from './config';
export { MerchantServerError, HttpError } from './errors';
export type { MerchantServerErrorCode } from './errors';
export { ORDER_STATUSES, TRANSITIONS, isFinal, canTransition, sourcesOf, transitionOrder } from './order-state';
export type { OrderStatus, FinalStatus, TransitionOutcome, TransitionOptions } from './order-state';
export type {
  Storage,
  OrderRecord,
  OrderLineRecord,
  NewOrder,
  TransitionRequest,
  TransitionCause,
  OrderEventRecord,
  NotificationRecord,
  NotificationOutcome,
  CustomerTokenRecord,
  PayingCursor,
} from './storage';
export { SqliteStorage } from './sqlite-storage';
export type { SqliteStorageOptions } from './sqlite-storage';
export { listProducts, findProduct, priceOrder, CATALOG_CURRENCY, ORDER_LIMITS } from './catalog';
export type { Product, PricedOrder } from './catalog';
export { createSessionToken, checkSessionToken } from './session';
export type { SessionClaims, SessionCheck } from './session';
export { toOrderJson } from './order-json';
export type { OrderJson, OrderLineJson } from './order-json';
export type { WalletApi } from './wallet-api';
