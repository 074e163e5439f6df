// The README's code examples type-check against the sources, and the refusal it quotes is what the sandbox says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signRequest } from '@minipay/openapi';
import { typeCheckExample } from '@minipay/testing';
import { payRequest, postRaw, startTestSandbox } from './helpers';

const packageDir = join(__dirname, '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
// The module examples that run in Node (the shim's example runs in a mini program, with its own `my`).
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => code.startsWith('import') && !code.includes('installSandbox(my'));

const typeCheck = (code: string) =>
  typeCheckExample(code, {
    packageDir,
    paths: { '@minipay/wallet-sandbox': ['src/index.ts'], '@minipay/openapi': ['../openapi/src/index.ts'] },
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });

test('has the startSandbox and the request-log examples', () => {
  expect(examples).toHaveLength(2);
  expect(examples[0]).toMatch(/startSandbox\(/);
  expect(examples[1]).toMatch(/RequestLogEntry[\s\S]*\/sandbox\/requests/);
});

test.each(examples.map((code, i) => [i + 1, code] as const))(
  'example %i type-checks against the sources',
  (_i, code) => {
    expect(typeCheck(code)).toEqual([]);
  },
  60_000,
);

test('would catch a mistake: reading a field the log entry does not have', () => {
  expect(typeCheck(examples[1]!.replace('last.diagnosisText', 'last.diagnosisHtml')).join('\n')).toMatch(
    /diagnosisHtml/,
  );
}, 60_000);

test('the refusal the README quotes is the one the sandbox gives', async () => {
  const quoted = /with the doctor's summary as `resultMessage`:\n\s*`([^`]+)`/.exec(readme)?.[1]?.replace(/\s+/g, ' ');
  expect(quoted).toBeDefined();
  const t = await startTestSandbox();
  try {
    const raw = JSON.stringify(payRequest());
    const headers = signRequest({
      path: '/v2/payments/pay',
      clientId: t.home.clientId,
      body: raw,
      privateKey: t.home.merchantPrivateKey,
    });
    const answer = await postRaw(t, '/api/open/v2/payments/pay', raw, headers);
    expect(answer.body.result.resultMessage).toBe(quoted);
  } finally {
    await t.close();
  }
});
