// Type-checks the README's examples against the package's sources, as a mini program compiles them:
// ES2017, strict, with @mini-types/alipay for `my` and `Page`, and no Node or DOM types.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const packageDir = join(__dirname, '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
// The examples are the ```ts blocks that are modules; the API section's blocks are signatures, not code.
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => code.startsWith('import '));

function typeCheck(code: string): string[] {
  const file = join(packageDir, 'test', '__readme_example__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2017,
    lib: ['lib.es2017.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['@mini-types/alipay'],
    skipLibCheck: true,
    baseUrl: packageDir,
    paths: { '@minipay/tradepay': ['src/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, code, version) : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? code : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

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
