// Type-checks the README's examples against the package's sources, as a mini program compiles them:
// ES2017, strict, with @mini-types/alipay for `my` and `Page`, and no Node or DOM types.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { typeCheckExample } from '@minipay/testing';

const packageDir = join(__dirname, '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
// The examples are the ```ts blocks that are modules; the API section's blocks are signatures, not code.
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => code.startsWith('import '));

const typeCheck = (code: string): string[] =>
  typeCheckExample(code, {
    packageDir,
    paths: { '@minipay/tradepay': ['src/index.ts'] },
    target: 'ES2017',
    types: ['@mini-types/alipay'],
  });

describe('README examples', () => {
  it('has the page example and the result-page switch', () => {
    expect(examples).toHaveLength(2);
    expect(examples[0]).toMatch(/tradePay\(\{ paymentUrl \}\)[\s\S]*confirmPayment\([\s\S]*my\.redirectTo/);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))(
    'type-checks example %i against the sources',
    (_i, code) => {
      expect(typeCheck(code)).toEqual([]);
    },
    60_000,
  );

  it('would catch a mistake: the result-page switch without a case does not type-check', () => {
    const broken = examples[1]!.replace(/ {4}case 'pending':\n.*\n/, '');
    expect(broken).not.toBe(examples[1]);
    expect(typeCheck(broken).join('\n')).toMatch(/not assignable to parameter of type 'never'/);
  }, 60_000);
});
