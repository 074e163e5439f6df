// `npm run demo [-- --outcome <name>]`: the six payment steps of docs/PROTOCOL.md §2, headless, through the same HTTP
// calls the mini program makes. Uses the running stack, or starts one for the duration of the demo.
// Exits 0 when the order's confirmed status is the one the chosen sandbox outcome should produce.
import { parseArgs } from 'node:util';
import { endWithSession } from './lib/lifetime.mjs';
import { takeLanFlag } from './lib/lan.mjs';
import { part } from './lib/parts.mjs';
import { StackError, buildStale, importBuilt, launchPart, messageOf, stackSettings, stopPart } from './lib/stack.mjs';
import { readRunningStack } from './lib/stack-file.mjs';

/** What the merchant server must end up believing for each sandbox outcome (docs/PROTOCOL.md §7). */
const expectedStatus = {
  pay: 'PAID',
  processing: 'PAID',
  fail: 'FAILED',
  cancel: 'CANCELLED',
  'network-error': 'PAID',
  unknown: 'PAID',
};

const USAGE = `Usage: npm run demo [-- --outcome <name>] [-- --timeout-seconds <s>]

Walks a payment through the six steps headless, through the HTTP calls the mini program makes, against the
running stack (the one npm start started with this MINIPAY_HOME, or the default ports), or a stack of its own.
  --outcome <name>         what the person at the cashier does: ${Object.keys(expectedStatus).join(', ')} (default pay)
  --timeout-seconds <s>    how long to wait for the merchant server to confirm (default 60)
  --help                   this text
Exits 0 when the merchant server confirms the status that outcome must produce.`;

const started = [];
endWithSession(() => void finish(1));

function options() {
  // --lan is npm start's: the demo finds a stack started with it through its stack.json.
  const { rest } = takeLanFlag(process.argv.slice(2));
  try {
    return parseArgs({
      args: rest,
      options: {
        outcome: { type: 'string', default: 'pay' },
        'timeout-seconds': { type: 'string', default: '60' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new StackError(`${error.message}\n\n${USAGE}`);
  }
}

async function main() {
  const values = options();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const outcome = values.outcome;
  if (!(outcome in expectedStatus)) {
    throw new StackError(`unknown outcome "${outcome}": use one of ${Object.keys(expectedStatus).join(', ')}`);
  }
  const settings = await stackSettings();
  const { formatAmount } = await importBuilt('contract');
  const money = (amount) => formatAmount(amount);
  // A running npm start (of this dev home) says where it listens, --lan address included.
  const urls = { ...settings.urls, ...readRunningStack(settings.home)?.urls };
  let sandboxUrl = urls.wallet;
  let merchantUrl = urls.merchant;
  if (!(await answers(`${merchantUrl}/api/products`)) || !(await answers(`${sandboxUrl}/`))) {
    console.log(`no stack on ${merchantUrl} and ${sandboxUrl}: starting one for this demo`);
    await startStack(settings);
    ({ wallet: sandboxUrl, merchant: merchantUrl } = settings.urls);
  }

  // Step 1: the user signs in (my.getAuthCode → POST /api/session) and creates an order.
  const { authCode } = await call('POST', `${sandboxUrl}/sandbox/auth-codes`, {});
  const session = await call('POST', `${merchantUrl}/api/session`, { authCode });
  const auth = { authorization: `Bearer ${session.token}` };
  const { products } = await call('GET', `${merchantUrl}/api/products`);
  const product = products[0];
  const order = await call(
    'POST',
    `${merchantUrl}/api/orders`,
    { items: [{ productId: product.id, quantity: 1 }] },
    auth,
  );
  step(1, `order ${order.id} created for ${product.name}: ${money(order.amount)} (customer ${session.customerId})`);

  // Steps 2 and 3: the merchant server calls pay; the wallet answers with the payment id and the cashier URL.
  const payment = await call('POST', `${merchantUrl}/api/orders/${order.id}/payment`, {}, auth);
  step(2, `merchant server called POST /api/open/v2/payments/pay for order ${order.id}`);
  step(3, `wallet accepted: paymentId ${payment.paymentId}, paymentUrl ${payment.paymentUrl}`);

  // Step 4: my.tradePay({ paymentUrl }) opens the cashier; here the sandbox's scripting API picks the outcome.
  const cashier = await call('POST', `${sandboxUrl}/sandbox/payments/${payment.paymentId}/complete`, { outcome });
  step(
    4,
    `tradePay with outcome "${outcome}": resultCode ${cashier.resultCode}, wallet status ${cashier.paymentStatus}`,
  );

  // Steps 5 and 6: the wallet notifies the merchant; the result page shows what the merchant server knows.
  const deadline = Date.now() + Number(values['timeout-seconds']) * 1000;
  let confirmed = await call('GET', `${merchantUrl}/api/orders/${order.id}`, undefined, auth);
  while (['CREATED', 'PAYING'].includes(confirmed.status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    confirmed = await call('GET', `${merchantUrl}/api/orders/${order.id}`, undefined, auth);
  }
  step(5, `wallet notified the merchant server (POST /notify/payment); order is ${confirmed.status}`);
  step(6, `result page: ${confirmed.status}${confirmed.failReason ? ` (${confirmed.failReason.code})` : ''}`);

  const expected = expectedStatus[outcome];
  if (confirmed.status !== expected) {
    console.error(`expected ${expected} for outcome "${outcome}", the server confirmed ${confirmed.status}`);
    return 1;
  }
  console.log(`ok: outcome "${outcome}" confirmed as ${confirmed.status}`);
  return 0;
}

function step(number, text) {
  console.log(`step ${number}/6  ${text}`);
}

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function call(method, url, body, headers = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new StackError(`${method} ${url} failed: ${error.cause?.code ?? error.message}`);
  }
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StackError(`${method} ${url} answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    throw new StackError(`${method} ${url} answered ${response.status}: ${json.error?.code}: ${json.error?.message}`);
  }
  return json;
}

/** The wallet sandbox and the merchant server, quiet; a part that dies at start-up shows what it printed. */
async function startStack(settings) {
  buildStale();
  const stack = { ...settings, publicUrls: { wallet: settings.urls.wallet } };
  for (const name of ['wallet', 'merchant']) {
    const entry = part(name);
    const { child, up } = await launchPart(entry, stack, { print: () => {} });
    started.push(child);
    if (!up) {
      const output = child.lastOutput().trim();
      throw new StackError(`the ${entry.title} exited at start-up${output ? `:\n${output}` : ' without a word'}`);
    }
  }
}

let finishing;
function finish(code) {
  finishing ??= Promise.all(started.map((child) => stopPart(child))).then(() => process.exit(code));
  return finishing;
}

main().then(
  (code) => finish(code),
  (error) => {
    console.error(`demo: ${messageOf(error)}`);
    return finish(1);
  },
);
