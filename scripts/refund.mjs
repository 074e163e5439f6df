// `npm run refund -- <orderId> [amount] [--reason "..."]`: refunds a paid order (all of what is left, or `amount` in
// the order's currency, e.g. 5.00) through the merchant server's operator API. Node built-ins and fetch only, so it
// runs the same on Windows, macOS and Linux; the token and the server's address come from the environment or the
// dev home, the amount is read with the contract's one parser (the currency's exponent from its one table).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importBuilt, stackSettings, StackError } from './lib/stack.mjs';

const HELP = `Refund a paid order through the merchant server's operator API.

usage: npm run refund -- <orderId> [amount] [--reason "text"]

  orderId         the order, e.g. ord_4QyU0m3aZ8Yl2b1x
  amount          in the order's currency, as a person writes it: 5.00 (USD), 1250.50 (PHP), 15000 (IDR 15.000),
                  12500 (KRW); default: whatever is left to refund
  --reason text   why (at most 256 characters), sent to the wallet with the refund
  --url URL       the merchant server (default MINIPAY_MERCHANT_URL, else the local stack's)
  --help          this text

The operator token is MINIPAY_ADMIN_TOKEN, else the dev home's admin-token (created by npm start).
Exit status: 0 refunded; 2 pending (the wallet has not answered; the server sends the same refund again);
1 refused or failed.`;

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { reason: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new StackError(`${error.message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length < 1 || positionals.length > 2) {
    throw new StackError(`give the order id, and optionally an amount\n\n${HELP}`);
  }
  const [orderId, amountText] = positionals;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(orderId)) throw new StackError(`${JSON.stringify(orderId)} is not an order id`);
  if (values.reason !== undefined && (values.reason.trim() === '' || values.reason.length > 256)) {
    throw new StackError('--reason must be 1 to 256 characters');
  }

  const contract = await importBuilt('contract');
  const settings = await stackSettings();
  const base = (values.url ?? process.env.MINIPAY_MERCHANT_URL ?? `http://${settings.host}:${settings.merchantPort}`)
    .trim()
    .replace(/\/+$/, '');
  const token = await operatorToken(settings.home);
  const api = operatorApi(base, token);

  const order = await api('GET', `/admin/orders/${orderId}`);
  if (order.status === 404) throw new StackError(`no order ${orderId} at ${base}`);
  if (order.status !== 200) throw new StackError(describeError(order));
  const currency = order.body.amount.currency;
  const body = {};
  if (amountText !== undefined) {
    try {
      body.amount = contract.parseAmount(amountText, currency).value;
    } catch (error) {
      throw new StackError(`amount: ${error.message}`);
    }
    if (!/^[1-9]\d*$/.test(body.amount)) throw new StackError('amount: a refund must be more than zero');
  }
  if (values.reason !== undefined) body.reason = values.reason;

  const answer = await api('POST', `/admin/orders/${orderId}/refunds`, body);
  const money = (amount) => contract.formatAmount(amount);
  if (answer.status === 201 || answer.status === 202) {
    const { refund, order: after } = answer.body;
    const total = `${money(after.refundedAmount)} of ${money(after.amount)} refunded in all`;
    if (answer.status === 201) {
      console.log(
        `refunded ${money(refund.amount)} of order ${orderId} (refund ${refund.id}, wallet refund ${refund.refundId ?? '-'}); ${total}`,
      );
      return 0;
    }
    console.log(
      `the wallet has not answered yet: refund ${refund.id} of ${money(refund.amount)} is PENDING; the merchant server sends the same refund again until the wallet answers (check with GET /admin/orders/${orderId})`,
    );
    return 2;
  }
  throw new StackError(describeError(answer));
}

/** The token from MINIPAY_ADMIN_TOKEN, else the dev home's file; never printed. */
async function operatorToken(home) {
  const fromEnv = process.env.MINIPAY_ADMIN_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const { devHomePaths } = await importBuilt('dev-home');
  const file = devHomePaths(home).adminToken;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new StackError(
      `no operator token: set MINIPAY_ADMIN_TOKEN, or start the local stack once (npm start) to create ${file}`,
    );
  }
}

function operatorApi(base, token) {
  return async (method, path, body) => {
    let response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      const reason = error.cause?.code ?? error.name ?? 'no answer';
      throw new StackError(`cannot reach the merchant server at ${base} (${reason}): is it running (npm start)?`);
    }
    const text = await response.text();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  };
}

function describeError(answer) {
  const error = answer.body?.error;
  if (error === undefined) return `the merchant server answered HTTP ${answer.status}`;
  if (error.code === 'UNAUTHENTICATED') {
    return "the merchant server refused the operator token: set MINIPAY_ADMIN_TOKEN to the server's, or use the dev home the server uses (MINIPAY_HOME)";
  }
  return `${error.code}: ${error.message}`;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof StackError)) throw error;
  console.error(`npm run refund: ${error.message}`);
  process.exitCode = 1;
}
