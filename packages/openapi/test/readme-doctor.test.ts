// The README's walk-through of the signature doctor shows real output: the block after <!-- doctor-output --> must
// be what formatDiagnosis prints for the case it describes (a pay request signed without the /api/open prefix, with
// the committed test keys at a fixed time). If the doctor's wording changes and the README does not, this fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnoseRequest, formatDiagnosis, signRequest } from '@minipay/openapi';
import { keys } from './helpers';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const shown = /<!-- doctor-output -->\n+```text\n([\s\S]*?)\n```/.exec(readme)?.[1];

test('the README shows what the doctor really prints', () => {
  const body = '{"paymentRequestId":"order-42-1","paymentAmount":{"currency":"USD","value":"1250"}}';
  const now = new Date('2026-12-01T08:26:32.253Z');
  const headers = signRequest({
    path: '/v2/payments/pay',
    clientId: 'SANDBOX_5X00000000000000',
    body,
    privateKey: keys.merchantRsaPrivate,
    now,
  });
  const diagnosis = diagnoseRequest({
    headers,
    rawBody: body,
    path: '/api/open/v2/payments/pay',
    publicKey: keys.merchantRsaPublic,
    keyName: 'merchant-public.pem',
    otherKeys: [{ name: 'wallet-public.pem', key: keys.walletRsaPublic }],
    now,
  });
  expect(shown).toBe(formatDiagnosis(diagnosis));
});

test("the README's table of causes lists every cause the doctor has", () => {
  const section = readme.slice(
    readme.indexOf('## When a signature does not verify'),
    readme.indexOf('### `minipay-openapi verify`'),
  );
  const listed = [...section.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((match) => match[1]);
  const source = readFileSync(join(__dirname, '..', 'src', 'doctor.ts'), 'utf8');
  const causes = [...source.matchAll(/\| \{ cause: ('[A-Z_]+'(?: \| '[A-Z_]+')*)/g)].flatMap((match) =>
    match[1]!.split(' | ').map((c) => c.slice(1, -1)),
  );
  expect(causes.length).toBeGreaterThan(10);
  expect(listed.sort()).toEqual([...new Set(causes)].sort());
});
