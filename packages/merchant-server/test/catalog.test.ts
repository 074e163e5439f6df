import { DEMO_CATALOG, type CatalogProduct as Product } from '../src/catalog';
import { HttpError } from '../src/errors';

describe('catalog', () => {
  test('every product has a positive integer price in USD and an inline SVG image', () => {
    const products = DEMO_CATALOG.list();
    expect(products.length).toBeGreaterThanOrEqual(4);
    for (const product of products) {
      expect(Number.isInteger(product.price) && product.price > 0).toBe(true);
      expect(product.currency).toBe('USD');
      expect(product.imageUrl.startsWith('data:image/svg+xml;base64,')).toBe(true);
      const svg = Buffer.from(product.imageUrl.split(',')[1] as string, 'base64').toString('utf8');
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).not.toMatch(/href=|url\(/);
    }
    expect(new Set(products.map((p) => p.id)).size).toBe(products.length);
  });

  test('prices an order from the catalog: line totals and the sum in minor units', () => {
    const [a, b] = DEMO_CATALOG.list() as unknown as [Product, Product];
    const priced = DEMO_CATALOG.price([
      { productId: a.id, quantity: 3 },
      { productId: b.id, quantity: 1 },
    ]);
    expect(priced.currency).toBe('USD');
    expect(priced.lines[0]).toEqual({
      productId: a.id,
      name: a.name,
      quantity: 3,
      unitPrice: a.price,
      lineTotal: a.price * 3,
    });
    expect(priced.amount).toBe(a.price * 3 + b.price);
  });

  test('an unknown product is a 400 naming the line and the product', () => {
    const [a] = DEMO_CATALOG.list() as unknown as [Product];
    let caught: unknown;
    try {
      DEMO_CATALOG.price([
        { productId: a.id, quantity: 1 },
        { productId: 'unicorn', quantity: 1 },
      ]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HttpError);
    expect((caught as HttpError).statusCode).toBe(400);
    expect((caught as HttpError).code).toBe('UNKNOWN_PRODUCT');
    expect((caught as HttpError).message).toBe('items[1].productId "unicorn" is not in the catalog');
  });
});
