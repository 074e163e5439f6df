export type {
  Amount,
  CartLine,
  CreateOrderRequest,
  ErrorBody,
  FailReason,
  Order,
  OrderLine,
  PaymentStart,
  Product,
  ProductsResponse,
  SessionRequest,
  SessionResponse,
} from './merchant-api';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, ORDER_LIMITS } from './merchant-api';
export { ORDER_STATUSES, FINAL_ORDER_STATUSES, isFinalOrderStatus } from './order-status';
export type { OrderStatus, FinalOrderStatus } from './order-status';
export { CURRENCY_EXPONENTS, currencyExponent, isIsoCurrency } from './currency';
export { formatAmount, parseAmount } from './amount';
export type { AmountStyle } from './amount';
export {
  DEFAULT_HOST,
  DEFAULT_MERCHANT_PORT,
  DEFAULT_SANDBOX_PORT,
  DEFAULT_PREVIEW_PORT,
  DEFAULT_MERCHANT_URL,
  DEFAULT_SANDBOX_URL,
  DEFAULT_PREVIEW_URL,
  MAX_PORT,
  parsePort,
} from './local-stack';
export { ContractError } from './errors';
export type { ContractErrorCode, ContractErrorOptions } from './errors';
