export type {
  Amount,
  CartLine,
  CreateOrderRequest,
  ErrorBody,
  FailReason,
  Order,
  OrderLine,
  OrderPage,
  PaymentStart,
  Product,
  ProductsResponse,
  Refund,
  RefundStatus,
  SessionRequest,
  SessionResponse,
} from './merchant-api';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, ORDER_LIMITS, ORDER_PAGE_LIMITS } from './merchant-api';
export type {
  AdminOrder,
  AdminOrderEvent,
  AdminOrderPage,
  CancelOrderResponse,
  RefundOrderRequest,
  RefundOrderResponse,
  RefundRefusedBody,
} from './admin-api';
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
