import type { Locale } from '../i18n/locale';
import { ORDER_LIMITS, type Amount, type CartLine, type Product } from '@minipay/contract';
import { formatMoney, multiplyMoney, sumMoney } from './money';

/** Quantities chosen on the products page, by product id. */
export type Quantities = Record<string, number>;

/** One product as the products page shows it. */
export interface ProductRow {
  id: string;
  name: string;
  description: string;
  price: string;
  quantity: number;
  imageUrl: string;
}

export function productRows(products: Product[], quantities: Quantities, locale: Locale): ProductRow[] {
  return products.map((product) => ({
    id: product.id,
    name: product.name,
    description: product.description,
    price: formatMoney(product.price, locale),
    quantity: quantities[product.id] ?? 0,
    imageUrl: product.imageUrl,
  }));
}

/** A quantity from a stepper: a whole number from 0 to the server's limit, 99 (anything else is clamped). */
export function clampQuantity(value: unknown): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) return 0;
  return Math.min(ORDER_LIMITS.maxQuantity, Math.max(0, Math.floor(number)));
}

/** The lines to order: products with a quantity above zero, in catalog order. */
export function cartLines(products: Product[], quantities: Quantities): CartLine[] {
  return products
    .filter((product) => (quantities[product.id] ?? 0) > 0)
    .map((product) => ({ productId: product.id, quantity: quantities[product.id] as number }));
}

/**
 * The cart total shown before checkout, or `undefined` for an empty cart. The server prices the order
 * again from its own catalog; this is only what the user expects to pay.
 */
export function cartTotal(products: Product[], quantities: Quantities): Amount | undefined {
  const chosen = products.filter((product) => (quantities[product.id] ?? 0) > 0);
  const first = chosen[0];
  if (!first) return undefined;
  return sumMoney(
    chosen.map((product) => multiplyMoney(product.price, quantities[product.id] as number)),
    first.price.currency,
  );
}

/** The cart as the confirm page's query string value: `p1:2,p2:1` (ids URI-encoded). */
export function encodeCart(lines: CartLine[]): string {
  return lines.map((line) => `${encodeURIComponent(line.productId)}:${line.quantity}`).join(',');
}

/** Reads {@link encodeCart}'s format back; malformed parts are dropped, never guessed at. */
export function decodeCart(value: unknown): CartLine[] {
  if (typeof value !== 'string' || value === '') return [];
  const lines: CartLine[] = [];
  for (const part of value.split(',')) {
    const match = /^([^:]+):(\d{1,2})$/.exec(part);
    if (!match) continue;
    const quantity = Number(match[2]);
    const productId = decodeId(match[1] as string);
    if (quantity > 0 && productId) lines.push({ productId, quantity });
  }
  return lines;
}

/** `decodeURIComponent`, or `undefined` for text that is not valid URI encoding (it would throw in onLoad). */
function decodeId(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}
