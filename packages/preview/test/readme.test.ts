// The README's code example type-checks against the package's sources, and runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { typeCheckExample } from '@minipay/testing';
import { removeFolders, writeMiniProgram } from './helpers';

const packageDir = join(__dirname, '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);

afterAll(() => removeFolders());

const typeCheck = (code: string): string[] =>
  typeCheckExample(code, { packageDir, paths: { '@minipay/preview': ['src/index.ts'] } });

test('the README has one code example, and it type-checks against the sources', () => {
  expect(examples).toHaveLength(1);
  expect(typeCheck(`${examples[0]}\nexport {};`)).toEqual([]);
}, 60_000);

test('it runs: started on the folder it names (here a fixture), it prints a URL that serves the preview, and closes', async () => {
  const dir = writeMiniProgram({ 'pages/index/index.axml': '<view/>' });
  const code = ts.transpileModule((examples[0] as string).replace("'mini-app/dist'", JSON.stringify(dir)), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const printed: string[] = [];
  const fakeConsole = { log: (line: string) => printed.push(line) };
  const run = new Function(
    'require',
    'console',
    'exports',
    `return (async () => {${code.replace('await preview.close();', 'globalThis.__readmePreview = preview;')}})();`,
  );
  await run((name: string) => (name === '@minipay/preview' ? require('../src') : require(name)), fakeConsole, {});
  const preview = (globalThis as { __readmePreview?: { close(): Promise<void> } }).__readmePreview;
  try {
    expect(printed[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(printed[0] as string)).status).toBe(200);
  } finally {
    await preview?.close();
  }
});
