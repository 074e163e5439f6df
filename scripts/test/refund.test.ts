// `npm run refund` as a person runs it: a real child process against a real merchant server and sandbox, with the
// token from the dev home and amounts read in the order's currency.
import {
  startStack,
  paidOrder,
  signIn,
  createOrder,
  setFaults,
  type Stack,
} from '../../packages/merchant-server/test/helpers';
import { npm } from './helpers';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  ({ token } = await signIn(stack));
});
afterAll(() => stack.close());

const refund = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  npm(['run', 'refund', '--silent', '--', ...args], {
    MINIPAY_HOME: stack.home,
    MINIPAY_MERCHANT_URL: stack.merchant.url,
    MINIPAY_ADMIN_TOKEN: '',
    ...env,
  });

test('--help says what it takes', async () => {
  const run = refund(['--help']);
  expect(await run.exited).toBe(0);
  expect(run.output()).toContain('usage: npm run refund -- <orderId> [amount] [--reason "text"]');
});

test('refunds part of a paid order in its currency, then the rest, with the dev home token', async () => {
  const { order } = await paidOrder(stack, token); // 29.00 USD
  const part = refund([order.id, '5.00', '--reason', 'one bag was torn']);
  expect(await part.exited).toBe(0);
  expect(part.output()).toMatch(/refunded 5\.00 USD of order .* 5\.00 USD of 29\.00 USD refunded in all/);
  const rest = refund([order.id]);
  expect(await rest.exited).toBe(0);
  expect(rest.output()).toContain('29.00 USD of 29.00 USD refunded in all');
  const more = refund([order.id, '0.01']);
  expect(await more.exited).toBe(1);
  expect(more.output()).toContain('REFUND_EXCEEDS_PAID');
});

test('a refund the wallet leaves unanswered exits 2 and says it is pending', async () => {
  const { order, paymentId } = await paidOrder(stack, token);
  await setFaults(stack, { paymentId, refundResult: 'U', refundResultTimes: 3 });
  const run = refund([order.id, '1']);
  expect(await run.exited).toBe(2);
  expect(run.output()).toMatch(/refund rf_\w+ of 1\.00 USD is PENDING/);
});

test.each([
  [['ord_x', '5.001'], /amount: "5.001" has 3 decimals, but USD has only 2/],
  [['ord_x', 'five'], /amount: "five" is not a decimal amount/],
  [[], /give the order id/],
  [['a/b'], /is not an order id/],
  [['ord_nope'], /no order ord_nope/],
  [['ord_x', '--bogus'], /Unknown option '--bogus'/],
])('%j is refused with a clear message', async (args, message) => {
  const order = await createOrder(stack.merchant, token);
  const run = refund(args.map((arg) => (arg === 'ord_x' ? order.id : arg)));
  expect(await run.exited).toBe(1);
  expect(run.output()).toMatch(message);
  expect(run.output()).not.toMatch(/\n\s+at /);
});

test('a wrong token or a server that is not there is named', async () => {
  const wrong = refund(['ord_x'], { MINIPAY_ADMIN_TOKEN: 'w'.repeat(40) });
  expect(await wrong.exited).toBe(1);
  expect(wrong.output()).toContain('refused the operator token');
  const nowhere = refund(['ord_x'], { MINIPAY_MERCHANT_URL: 'http://127.0.0.1:9' });
  expect(await nowhere.exited).toBe(1);
  expect(nowhere.output()).toMatch(/cannot reach the merchant server at http:\/\/127\.0\.0\.1:9 .*npm start/);
});
