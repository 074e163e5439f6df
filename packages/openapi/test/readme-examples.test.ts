// Type-checks the README's code examples, as written there, against the package's sources: if the API changes
// under an example (or an example has a typo), this fails. readme.test.ts runs the notification handlers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { typeCheckExample } from '@minipay/testing';

const packageDir = join(__dirname, '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
// The examples are the ```ts blocks that are modules; the API section's block is signatures, not code.
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => code.startsWith('import '));

// What the examples leave to the reader: the handlers use the names the pay example defines, and their own
// recordPaymentResult.
const AMBIENT = `
declare const clientId: string;
declare const merchantPrivateKey: string;
declare const walletPublicKey: string;
declare const merchantPublicKey: string;
declare function recordPaymentResult(notification: import('@minipay/openapi').NotifyPaymentRequest): Promise<void>;
`;

const typeCheck = (code: string) =>
  typeCheckExample(code, { packageDir, paths: { '@minipay/openapi': ['src/index.ts'] }, ambient: AMBIENT });

describe('README examples', () => {
  it('has the pay example, the three notification handlers, inquiry/cancel/refund, the pooled handler and the doctor in a handler', () => {
    expect(examples).toHaveLength(7);
    expect(examples[0]).toMatch(/new OpenApiClient\([\s\S]*\.pay\(/);
    expect(examples[1]).toMatch(/Fastify[\s\S]*verifyNotification[\s\S]*signedResponse/);
    expect(examples[2]).toMatch(/node:http[\s\S]*verifyNotification[\s\S]*signedResponse/);
    expect(examples[3]).toMatch(/express\.text\([\s\S]*verifyNotification[\s\S]*signedResponse/);
    expect(examples[4]).toMatch(/inquiryPayment\([\s\S]*cancelPayment\([\s\S]*refund\(\{[\s\S]*refundRequestId/);
    expect(examples[5]).toMatch(/await verifyNotificationAsync[\s\S]*await signedResponseAsync/);
    expect(examples[6]).toMatch(/verifyNotification[\s\S]*diagnoseRequest[\s\S]*formatDiagnosis/);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))(
    'type-checks example %i against the sources',
    (_i, code) => {
      expect(typeCheck(code)).toEqual([]);
    },
    60_000,
  );

  it('would catch a mistake: the pay example with a numeric amount does not type-check', () => {
    const broken = examples[0]!.replace(
      "paymentAmount: { currency: 'USD', value: '1250' }",
      "paymentAmount: { currency: 'USD', value: 1250 }",
    );
    expect(broken).not.toBe(examples[0]);
    expect(typeCheck(broken).join('\n')).toMatch(/Type 'number' is not assignable to type 'string'/);
  }, 60_000);

  it('would catch a forgotten await: the pooled example without it does not type-check', () => {
    const broken = examples[5]!.replace('await verifyNotificationAsync(', 'verifyNotificationAsync(');
    expect(broken).not.toBe(examples[5]);
    expect(typeCheck(broken).join('\n')).toMatch(/Promise<NotifyPaymentRequest>/);
  }, 60_000);
});
