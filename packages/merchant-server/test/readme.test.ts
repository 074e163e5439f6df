// The README's examples against the real thing: the "From code" example as written there (with a temp home),
// and the documented order JSON and configuration table against what the server really does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typeCheckExample } from '@minipay/testing';
import { startSandbox } from '@minipay/wallet-sandbox';
import { startMerchantServer } from '../src';
import { ENVIRONMENT_VARIABLES } from '../src/config';
import { call, createOrder, signIn, startStack } from './helpers';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

function codeBlocks(language: string): string[] {
  return [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] as string);
}

test('the "From code" example runs as written', async () => {
  const example = codeBlocks('ts').find((block) => block.includes('startMerchantServer'));
  expect(example).toBeDefined();
  // The same statements as the README, with the home in a temp folder.
  const home = mkdtempSync(join(tmpdir(), 'minipay-readme-'));
  expect(example).toContain('const wallet = await startSandbox({ home, port: 0 });');
  expect(example).toContain(
    'const merchant = await startMerchantServer({ home, port: 0, walletUrl: wallet.url, log: false });',
  );
  const wallet = await startSandbox({ home, port: 0, log: () => {} });
  try {
    const merchant = await startMerchantServer({ home, port: 0, walletUrl: wallet.url, log: false });
    try {
      expect(merchant.notifyUrl).toBe(`${merchant.url}/notify/payment`);
      expect((await call(merchant.url, 'GET', '/api/products')).status).toBe(200);
    } finally {
      await merchant.close();
    }
  } finally {
    await wallet.close();
  }
  rmSync(home, { recursive: true, force: true });
});

test('the documented order JSON has exactly the fields of a real order', async () => {
  const documented = codeBlocks('json')
    .map((block) => JSON.parse(block) as Record<string, unknown>)
    .find((json) => 'items' in json);
  expect(documented).toBeDefined();
  const stack = await startStack();
  try {
    const { token } = await signIn(stack);
    const real = await createOrder(stack.merchant, token, [
      { productId: 'coffee-beans', quantity: 2 },
      { productId: 'sticker-pack', quantity: 1 },
    ]);
    expect(Object.keys(real).sort()).toEqual(Object.keys(documented as object).sort());
    expect(real.amount).toEqual(documented?.amount);
    expect(real.items).toEqual(documented?.items);
  } finally {
    await stack.close();
  }
});

test('the configuration table documents every MINIPAY_* variable the server reads', () => {
  for (const name of ENVIRONMENT_VARIABLES) {
    const stem = name.replace(/_FILE$/, '');
    expect(readme).toContain(`\`${stem}`);
  }
});

/** Type-checks a README example against the workspace's sources: no messages means it compiles as written. */
function typeCheck(example: string): readonly unknown[] {
  return typeCheckExample(example, {
    packageDir: join(__dirname, '..'),
    paths: {
      '@minipay/merchant-server': ['src/index.ts'],
      '@minipay/contract': ['../contract/src/index.ts'],
      '@minipay/openapi': ['../openapi/src/index.ts'],
      '@minipay/dev-home': ['../dev-home/src/index.ts'],
      '@minipay/fastify-kit': ['../fastify-kit/src/index.ts'],
    },
  });
}

test('the fulfilment hook example type-checks against the sources', () => {
  const example = codeBlocks('ts').find((block) => block.includes('fulfilment:'));
  expect(example).toBeDefined();
  expect(typeCheck(example as string)).toEqual([]);
});

test('the fulfilment webhook receiver example type-checks against the sources', () => {
  const example = codeBlocks('ts').find((block) => block.includes('verifyFulfilmentSignature('));
  expect(example).toBeDefined();
  expect(typeCheck(example as string)).toEqual([]);
});
