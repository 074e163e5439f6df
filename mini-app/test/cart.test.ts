import type { Product } from '@minipay/contract';
import { cartLines, cartTotal, clampQuantity, decodeCart, encodeCart, productRows } from '../src/logic/cart';

const products: Product[] = [
  {
    id: 'coffee',
    name: 'Coffee',
    description: 'Hot',
    price: { currency: 'USD', value: '350' },
    imageUrl: 'data:image/svg+xml;base64,',
  },
  {
    id: 'tea',
    name: 'Tea',
    description: 'Green',
    price: { currency: 'USD', value: '275' },
    imageUrl: 'https://x/tea.png',
  },
  {
    id: 'cake/slice',
    name: 'Cake',
    description: 'Sweet',
    price: { currency: 'USD', value: '499' },
    imageUrl: 'data:image/svg+xml;base64,',
  },
];

test('the cart total is the sum of price × quantity of the chosen products', () => {
  expect(cartTotal(products, { coffee: 2, tea: 1 })).toEqual({ currency: 'USD', value: '975' });
  expect(cartTotal(products, { coffee: 0 })).toBeUndefined();
  expect(cartTotal(products, {})).toBeUndefined();
});

test('cart lines keep catalog order and skip zero quantities', () => {
  expect(cartLines(products, { tea: 1, coffee: 2, 'cake/slice': 0 })).toEqual([
    { productId: 'coffee', quantity: 2 },
    { productId: 'tea', quantity: 1 },
  ]);
});

test('product rows carry formatted prices and the chosen quantities', () => {
  expect(productRows(products, { tea: 3 }, 'es')[1]).toEqual({
    id: 'tea',
    name: 'Tea',
    description: 'Green',
    price: '2,75 USD',
    quantity: 3,
    imageUrl: 'https://x/tea.png',
  });
});

test.each([
  [3, 3],
  [-1, 0],
  [150, 99],
  [2.7, 2],
  [null, 0],
  ['4', 4],
  [Number.NaN, 0],
])('a stepper value %p becomes quantity %p', (value, quantity) => {
  expect(clampQuantity(value)).toBe(quantity);
});

test('the cart survives the trip through the confirm page query string', () => {
  const lines = [
    { productId: 'coffee', quantity: 2 },
    { productId: 'cake/slice', quantity: 1 },
  ];
  expect(encodeCart(lines)).toBe('coffee:2,cake%2Fslice:1');
  expect(decodeCart(encodeCart(lines))).toEqual(lines);
});

test.each([undefined, '', 'coffee', 'coffee:0', 'coffee:-1', ':2', 'coffee:100'])(
  'a malformed cart %p yields no lines',
  (value) => {
    expect(decodeCart(value)).toEqual([]);
  },
);

test('a part whose id is not valid URI encoding (a stray %, e.g. a host that already decoded the query) is dropped, not thrown', () => {
  expect(decodeCart('50%off:1,tea:2')).toEqual([{ productId: 'tea', quantity: 2 }]);
});
