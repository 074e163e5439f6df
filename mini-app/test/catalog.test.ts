/**
 * The merchant's own catalog in the wallets' currencies, end to end under the harness: the server reads the file
 * (`MINIPAY_CATALOG`), the pages show its prices as each market writes them: PHP 1,250.00; IDR 15.000; KRW 12,500.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkout, launchApp } from './harness/app';
import type { MiniProgramRuntime } from './harness/runtime';
import { startStack } from './harness/stack';

let folder: string;
let runtime: MiniProgramRuntime | undefined;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'minipay-mini-catalog-'));
});
afterEach(() => {
  runtime?.close();
  runtime = undefined;
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test.each([
  ['PHP', '1250.00', '380.50', 'PHP 1,250.00', 'PHP 2,880.50'],
  ['IDR', '15000', '7500', 'IDR 15.000', 'IDR 37.500'],
  ['KRW', '12500', '3000', 'KRW 12,500', 'KRW 28,000'],
])(
  'a %s catalog: prices %s and %s, the first shown as %s, two and one as %s',
  async (currency, first, second, shown, total) => {
    const catalogPath = join(folder, `${currency}.json`);
    writeFileSync(
      catalogPath,
      JSON.stringify({
        currency,
        products: [
          { id: 'one', name: 'One', price: first },
          { id: 'two', name: 'Two', price: second },
        ],
      }),
    );
    const stack = await startStack({ catalogPath });
    try {
      runtime = launchApp(stack, { choose: 'pay' });
      const confirm = await checkout(runtime, { 0: 2, 1: 1 });
      const products = runtime.pages()[0]!;
      expect(products.data.rows[0].price).toBe(shown);
      expect(products.data.total).toBe(total);
      expect(confirm.data.order.total).toBe(total);
      expect(runtime.errors).toEqual([]);
    } finally {
      runtime?.close();
      runtime = undefined;
      await stack.close();
    }
  },
);
