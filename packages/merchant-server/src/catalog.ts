// The catalog (the demo one by default, or the merchant's own file: `catalog-file.ts`) and the pricing of an order from
// it. Prices are the server's: whatever a client sends about prices is never read (the request schema strips it
// before it reaches here).
import type { Product } from '@minipay/contract';
import { HttpError } from './errors';
import { toAmount } from './internal/money';
import type { OrderLineRecord } from './order-record';

/** A product as the catalog holds it; `toProductJson` makes the contract's `Product` of it. */
export interface CatalogProduct {
  id: string;
  name: string;
  description: string;
  /** ISO 4217. The whole catalog uses one currency. */
  currency: string;
  /** Minor units (cents). */
  price: number;
  /** A small inline SVG as a `data:` URI, so the mini program shows it offline (the IDE has no network). */
  imageUrl: string;
}

/** The demo catalog's currency. */
export const CATALOG_CURRENCY = 'USD';

export function image(background: string, foreground: string, glyph: string): string {
  // A 96×96 tile: a coloured square with a simple shape; no fonts, no external references.
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="16" fill="${background}"/>` +
    `<g fill="none" stroke="${foreground}" stroke-width="5" stroke-linecap="round" stroke-linejoin="round">${glyph}</g></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

const PRODUCTS: readonly CatalogProduct[] = [
  {
    id: 'coffee-beans',
    name: 'Single-origin coffee beans',
    description: '250 g of washed Ethiopian beans, roasted this week. Notes of bergamot and apricot.',
    currency: CATALOG_CURRENCY,
    price: 1450,
    imageUrl: image(
      '#6b4226',
      '#f5e6d3',
      '<ellipse cx="48" cy="48" rx="18" ry="26"/><path d="M48 24c-8 16 8 32 0 48"/>',
    ),
  },
  {
    id: 'green-tea',
    name: 'Sencha green tea',
    description: '100 g of first-flush loose-leaf sencha from Shizuoka.',
    currency: CATALOG_CURRENCY,
    price: 890,
    imageUrl: image(
      '#4f7942',
      '#eaf4e2',
      '<path d="M24 64c0-24 24-40 48-40 0 24-16 48-40 48z"/><path d="M28 68l24-24"/>',
    ),
  },
  {
    id: 'enamel-mug',
    name: 'Enamel camp mug',
    description: '350 ml, white enamel with a navy rim. Dishwasher safe.',
    currency: CATALOG_CURRENCY,
    price: 1200,
    imageUrl: image(
      '#1f3a5f',
      '#ffffff',
      '<rect x="26" y="30" width="34" height="38" rx="4"/><path d="M60 38h6a8 8 0 0 1 0 16h-6"/>',
    ),
  },
  {
    id: 'canvas-tote',
    name: 'Canvas tote bag',
    description: 'Heavy cotton canvas, 38 × 42 cm, with an inside pocket.',
    currency: CATALOG_CURRENCY,
    price: 1800,
    imageUrl: image('#c9a66b', '#3b2f1e', '<path d="M24 38h48l-4 34H28z"/><path d="M36 38c0-16 24-16 24 0"/>'),
  },
  {
    id: 'dot-notebook',
    name: 'Dot-grid notebook',
    description: 'A5, 160 pages of 100 g/m² paper that fountain pens like.',
    currency: CATALOG_CURRENCY,
    price: 650,
    imageUrl: image('#e4572e', '#fff4ec', '<rect x="28" y="22" width="40" height="52" rx="3"/><path d="M38 22v52"/>'),
  },
  {
    id: 'sticker-pack',
    name: 'Sticker pack',
    description: 'Six weatherproof vinyl stickers.',
    currency: CATALOG_CURRENCY,
    price: 300,
    imageUrl: image('#7b5ea7', '#f3edfb', '<path d="M48 22l8 17 18 2-13 12 4 18-17-9-17 9 4-18-13-12 18-2z"/>'),
  },
];

/** A catalog product as `GET /api/products` answers it. */
export function toProductJson(product: CatalogProduct): Product {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    price: toAmount(product.currency, product.price),
    imageUrl: product.imageUrl,
  };
}

/** An order priced from the catalog. */
export interface PricedOrder {
  currency: string;
  /** Minor units. */
  amount: number;
  lines: OrderLineRecord[];
}

/** The products a shop sells, in one currency, in display order. */
export class Catalog {
  private readonly byId: ReadonlyMap<string, CatalogProduct>;

  constructor(
    /** ISO 4217; every product is priced in it. */
    readonly currency: string,
    private readonly products: readonly CatalogProduct[],
  ) {
    this.byId = new Map(products.map((product) => [product.id, product]));
  }

  /** The products, in display order. */
  list(): readonly CatalogProduct[] {
    return this.products;
  }

  find(id: string): CatalogProduct | undefined {
    return this.byId.get(id);
  }

  /**
   * Prices the requested lines from the catalog. The lines were already checked by the request schema
   * (1–20 lines, quantity 1–99); this checks what the schema cannot: that every product exists.
   * @throws HttpError 400 `UNKNOWN_PRODUCT` naming the line and the product.
   */
  price(items: ReadonlyArray<{ productId: string; quantity: number }>): PricedOrder {
    const lines = items.map((item, index): OrderLineRecord => {
      const product = this.find(item.productId);
      if (product === undefined) {
        throw new HttpError(`items[${index}].productId ${JSON.stringify(item.productId)} is not in the catalog`, {
          statusCode: 400,
          code: 'UNKNOWN_PRODUCT',
        });
      }
      return {
        productId: product.id,
        name: product.name,
        quantity: item.quantity,
        unitPrice: product.price,
        lineTotal: product.price * item.quantity,
      };
    });
    return { currency: this.currency, amount: lines.reduce((sum, line) => sum + line.lineTotal, 0), lines };
  }
}

/** The demo shop's catalog (USD), used when no `MINIPAY_CATALOG` is given. */
export const DEMO_CATALOG = new Catalog(CATALOG_CURRENCY, PRODUCTS);
