// The merchant's catalog from MINIPAY_CATALOG: read and checked at start-up (a real file, a real server), prices in
// any ISO 4217 currency with its exponent from the contract's table, and every mistake named by entry and field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProductsResponse } from '@minipay/contract';
import { loadConfig, MerchantServerError } from '../src';
import { readCatalogFile } from '../src/catalog-file';
import { call, createOrder, signIn, startStack } from './helpers';

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'minipay-catalog-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let count = 0;
function catalogFile(content: unknown): string {
  count += 1;
  const file = join(folder, `catalog-${count}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const PHP = {
  currency: 'PHP',
  products: [
    { id: 'adobo-kit', name: 'Adobo spice kit', description: 'For four.', price: '1250.00' },
    { id: 'barako', name: 'Kapeng barako, 250 g', price: '380.5' },
  ],
};

test('the server sells from the file: its products, in its currency, priced in minor units', async () => {
  const stack = await startStack({ merchant: { catalogPath: catalogFile(PHP) } });
  try {
    const products = await call<ProductsResponse>(stack.merchant.url, 'GET', '/api/products');
    expect(products.body.products.map((p) => [p.id, p.price])).toEqual([
      ['adobo-kit', { currency: 'PHP', value: '125000' }],
      ['barako', { currency: 'PHP', value: '38050' }],
    ]);
    expect(products.body.products[1]?.description).toBe('');
    expect(products.body.products[1]?.imageUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const { token } = await signIn(stack);
    const order = await createOrder(stack.merchant, token, [
      { productId: 'adobo-kit', quantity: 2 },
      { productId: 'barako', quantity: 1 },
    ]);
    expect(order.amount).toEqual({ currency: 'PHP', value: '288050' });
    const unknown = await call(stack.merchant.url, 'POST', '/api/orders', {
      token,
      body: { items: [{ productId: 'coffee-beans', quantity: 1 }] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('UNKNOWN_PRODUCT');
  } finally {
    await stack.close();
  }
});

test.each([
  ['IDR', '15000', '1500000'],
  ['KRW', '12500', '12500'],
  ['JPY', '1500', '1500'],
  ['KWD', '1.250', '1250'],
  ['THB', '99.75', '9975'],
])('%s %s is %s minor units (the exponent from the contract)', (currency, price, minor) => {
  const catalog = readCatalogFile(catalogFile({ currency, products: [{ id: 'a', name: 'A', price }] }));
  expect(catalog.currency).toBe(currency);
  expect(catalog.list()[0]?.price).toBe(Number(minor));
});

test.each([
  ['{ not json', /is not valid JSON/],
  [[], /must be a JSON object/],
  [{ ...PHP, currency: 'XYZ' }, /currency "XYZ" is not an ISO 4217 currency code/],
  [{ products: PHP.products }, /currency is missing/],
  [{ ...PHP, shop: 'x' }, /unknown field "shop"/],
  [{ currency: 'PHP', products: [] }, /products must be a list of 1 to 500 products/],
  [
    { currency: 'PHP', products: [{ id: 'a', name: 'A', price: 12.5 }] },
    /products\[0\] \("a"\)\.price must be a decimal in PHP as text, e.g. "12.50"; got 12.5/,
  ],
  [
    { currency: 'KRW', products: [{ id: 'a', name: 'A', price: '12500.50' }] },
    /products\[0\] \("a"\)\.price: "12500.50" has 2 decimals, but KRW has no minor units/,
  ],
  [
    { currency: 'PHP', products: [PHP.products[0], { id: 'b', name: 'B', price: '12.345' }] },
    /products\[1\] \("b"\)\.price: "12.345" has 3 decimals, but PHP has only 2/,
  ],
  [
    { currency: 'PHP', products: [{ id: 'a', name: 'A', price: '0.00' }] },
    /products\[0\] \("a"\)\.price must be more than zero/,
  ],
  [
    { currency: 'PHP', products: [{ id: 'a', name: 'A', price: '-5' }] },
    /products\[0\] \("a"\)\.price: "-5" is not a decimal amount/,
  ],
  [
    { currency: 'PHP', products: [PHP.products[0], PHP.products[0]] },
    /products\[1\] \("adobo-kit"\)\.id is used by an earlier product too/,
  ],
  [
    { currency: 'PHP', products: [{ id: 'a b', name: 'A', price: '1' }] },
    /products\[0\] \("a b"\)\.id must be 1 to 64 of/,
  ],
  [{ currency: 'PHP', products: [{ name: 'A', price: '1' }] }, /products\[0\]\.id must be 1 to 64 of .*got nothing/],
  [
    { currency: 'PHP', products: [{ id: 'a', name: '', price: '1' }] },
    /products\[0\] \("a"\)\.name must be a text of 1 to 200 characters/,
  ],
  [{ currency: 'PHP', products: [{ id: 'a', name: 'A', prise: '1' }] }, /products\[0\] \("a"\): unknown field "prise"/],
  [
    { currency: 'PHP', products: [{ id: 'a', name: 'A', price: '1', imageUrl: 'http://x/a.png' }] },
    /imageUrl must be a data:image\/... URI or an https:\/\/ URL/,
  ],
  [{ currency: 'PHP', products: ['a'] }, /products\[0\] must be an object/],
])('a catalog file %j stops start-up with a message naming the entry and field', async (content, message) => {
  const file = catalogFile(content);
  let caught: unknown;
  try {
    readCatalogFile(file);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MerchantServerError);
  expect((caught as MerchantServerError).code).toBe('CONFIG_INVALID');
  expect((caught as MerchantServerError).message).toMatch(
    new RegExp(`^MINIPAY_CATALOG \\(${file.replace(/[\\\\.]/g, '\\$&')}\\): `),
  );
  expect((caught as MerchantServerError).message).toMatch(message);
});

test('a missing file, and the server refusing to start on a bad one', async () => {
  expect(() => readCatalogFile(join(folder, 'nope.json'))).toThrow(
    /MINIPAY_CATALOG \(.*nope\.json\): cannot be read \(ENOENT\)/,
  );
  const stack = await startStack({ noMerchant: true });
  try {
    await expect(
      stack.startMerchant({
        catalogPath: catalogFile({ currency: 'PHP', products: [{ id: 'a', name: 'A', price: 'x' }] }),
      }),
    ).rejects.toThrow(/MINIPAY_CATALOG .*products\[0\] \("a"\)\.price: "x" is not a decimal amount/);
  } finally {
    await stack.close();
  }
});

test('MINIPAY_CATALOG is read as a path relative to the working directory', () => {
  expect(loadConfig({ MINIPAY_CATALOG: 'shop/catalog.json' }, { cwd: folder }).catalogPath).toBe(
    join(folder, 'shop', 'catalog.json'),
  );
});
