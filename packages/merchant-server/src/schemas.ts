// JSON schemas of the request bodies and parameters. Fastify validates with them before a handler runs; a
// failure becomes a 400 whose message names the field (`items[0].quantity must be <= 99`).
// `additionalProperties: false` with Ajv's `removeAdditional` strips unknown fields instead of rejecting them, so a
// client that sends its idea of a price (or an older client sending extra fields) is served, and the price ignored.
import { ORDER_LIMITS, type CreateOrderRequest, type SessionRequest } from '@minipay/contract';

export const sessionBodySchema = {
  type: 'object',
  required: ['authCode'],
  additionalProperties: false,
  properties: {
    authCode: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

export const createOrderBodySchema = {
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: {
    items: {
      type: 'array',
      minItems: 1,
      maxItems: ORDER_LIMITS.maxLines,
      items: {
        type: 'object',
        required: ['productId', 'quantity'],
        additionalProperties: false,
        properties: {
          productId: { type: 'string', minLength: 1, maxLength: 64 },
          quantity: { type: 'integer', minimum: ORDER_LIMITS.minQuantity, maximum: ORDER_LIMITS.maxQuantity },
        },
      },
    },
  },
} as const;

export const orderParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
  },
} as const;

export type SessionBody = SessionRequest;

export type CreateOrderBody = CreateOrderRequest;

export interface OrderParams {
  id: string;
}
