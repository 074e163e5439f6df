// The bare wallet of the bench's order reference row (bare-orders.mjs): what the wallet's part of a paid order costs
// with nothing around the work itself. node:http, the pooled verification and signing of @minipay/openapi, durable
// SQLite (bare-http.mjs `openDurable`). It answers what the load generator and the bare merchant call:
//   POST /sandbox/auth-codes                { authCode } for a session (outside every timed window)
//   POST /api/open/v2/payments/pay          the merchant's signed `pay` verified; the payment stored PROCESSING (one
//                                           commit; the same paymentRequestId answers the same payment); a signed A
//   POST /sandbox/payments/:id/complete     the cashier's `pay`: PROCESSING → SUCCESS (one commit), answered at once;
//                                           then the signed `notifyPayment` to the merchant, its signed ack verified,
//                                           and the payment marked notified (one commit), retried until it is S
// No framework, validation beyond the fields it uses, logging, expiry or request log: the least a correct wallet
// does, so that the sandbox's share of an order can be read against it.
//
// Messages: { type: 'start', databasePath, merchantPublicKey, walletPrivateKey } listens and answers { url };
// { type: 'check' } answers { succeeded, notified, pending, failedAttempts, requests }; 'cpu' answers process.cpuUsage().
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signedResponseAsync, signRequestAsync, verifyRequestAsync, verifyResponseAsync } from '@minipay/openapi';
import { answerBench, listen, openDurable, post, serveRoutes } from './bare-http.mjs';
import { PAY_PATH } from './wire-paths.mjs';

const SCHEMA = `
  CREATE TABLE payments (
    payment_id TEXT PRIMARY KEY, payment_request_id TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL,
    currency TEXT NOT NULL, amount TEXT NOT NULL, notify_url TEXT NOT NULL, status TEXT NOT NULL,
    notified INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL
  );
`;
/** How long a refused or unanswered notification waits before it is sent again. */
const RETRY_MS = 100;

let db;
let sql;
let keys;
let url;
let failedAttempts = 0;

function open(databasePath) {
  db = openDurable(databasePath, SCHEMA);
  sql = {
    insert: db.prepare("INSERT OR IGNORE INTO payments VALUES (?, ?, ?, ?, ?, ?, 'PROCESSING', 0, ?)"),
    byRequest: db.prepare('SELECT * FROM payments WHERE payment_request_id = ?'),
    byId: db.prepare('SELECT * FROM payments WHERE payment_id = ?'),
    succeed: db.prepare("UPDATE payments SET status = 'SUCCESS' WHERE payment_id = ? AND status = 'PROCESSING'"),
    notified: db.prepare('UPDATE payments SET notified = 1 WHERE payment_id = ?'),
  };
}

const cashierUrl = (paymentId) => `${url}/cashier/${paymentId}`;

/** What is wrong with a `pay` body for this wallet, or undefined. */
function payProblem(body) {
  if (typeof body?.paymentRequestId !== 'string' || body.paymentRequestId.length > 64)
    return 'paymentRequestId must be a string of at most 64 characters';
  const amount = body.paymentAmount;
  if (!/^[A-Z]{3}$/.test(amount?.currency ?? '') || !/^\d+$/.test(amount?.value ?? ''))
    return 'paymentAmount must be { currency, value } in minor units';
  if (typeof body.paymentNotifyUrl !== 'string') return 'paymentNotifyUrl is missing';
  return undefined;
}

async function pay(request, rawBody) {
  const { clientId, body } = await verifyRequestAsync({
    headers: request.headers,
    rawBody,
    path: PAY_PATH,
    publicKey: keys.merchantPublicKey,
  });
  const problem = payProblem(body);
  let answer;
  if (problem !== undefined) {
    answer = { result: { resultStatus: 'F', resultCode: 'PARAM_ILLEGAL', resultMessage: problem } };
  } else {
    const { paymentRequestId, paymentAmount, paymentNotifyUrl } = body;
    const paymentId = `BAREPAY${randomUUID().replaceAll('-', '')}`;
    sql.insert.run(
      paymentId,
      paymentRequestId,
      clientId,
      paymentAmount.currency,
      paymentAmount.value,
      paymentNotifyUrl,
      Date.now(),
    );
    const payment = sql.byRequest.get(paymentRequestId);
    answer =
      payment.currency === paymentAmount.currency && payment.amount === paymentAmount.value
        ? {
            result: { resultStatus: 'A', resultCode: 'ACCEPT', resultMessage: 'accepted' },
            paymentId: payment.payment_id,
            redirectActionForm: { method: 'GET', redirectionUrl: cashierUrl(payment.payment_id) },
          }
        : { result: { resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT', resultMessage: 'another amount' } };
  }
  return signedResponseAsync({ body: answer, clientId, path: PAY_PATH, privateKey: keys.walletPrivateKey });
}

/** Sends the payment's notification until the merchant acknowledges it S, then marks it notified. */
async function notify(payment) {
  const path = new URL(payment.notify_url).pathname;
  const body = JSON.stringify({
    paymentId: payment.payment_id,
    paymentRequestId: payment.payment_request_id,
    paymentResult: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
    paymentAmount: { currency: payment.currency, value: payment.amount },
    paymentTime: new Date().toISOString().replace('Z', '+00:00'),
  });
  for (;;) {
    try {
      const headers = await signRequestAsync({
        path,
        clientId: payment.client_id,
        body,
        privateKey: keys.walletPrivateKey,
      });
      const answer = await post(payment.notify_url, headers, body);
      const ack = await verifyResponseAsync({
        headers: answer.headers,
        rawBody: answer.text,
        path,
        publicKey: keys.merchantPublicKey,
        httpStatus: answer.status,
      });
      if (ack.result?.resultStatus === 'S') {
        sql.notified.run(payment.payment_id);
        return;
      }
    } catch {
      // Unanswered or badly signed: counted below and sent again, as a wallet does.
    }
    failedAttempts += 1;
    await sleep(RETRY_MS);
  }
}

function complete(paymentId, body) {
  if (body?.outcome !== 'pay') return { status: 400, code: 'UNSUPPORTED_OUTCOME', message: 'only "pay" is supported' };
  const payment = sql.byId.get(paymentId);
  if (payment === undefined) return { status: 404, code: 'PAYMENT_NOT_FOUND', message: 'no such payment' };
  if (sql.succeed.run(paymentId).changes === 0)
    return { status: 409, code: 'NOT_PROCESSING', message: `the payment is ${payment.status}` };
  notify(payment);
  return { status: 200, body: { paymentId, status: 'SUCCESS' } };
}

/** The wallet's routes; each answers as `serveRoutes` (bare-http.mjs) takes it. */
async function route(request, rawBody) {
  const { method, url } = request;
  if (method === 'POST' && url === PAY_PATH) {
    const signed = await pay(request, rawBody);
    return { status: 200, body: signed.body, headers: signed.headers };
  }
  if (method === 'POST' && url === '/sandbox/auth-codes') return { status: 200, body: { authCode: randomUUID() } };
  const paymentId = /^\/sandbox\/payments\/([^/]+)\/complete$/.exec(url)?.[1];
  if (method === 'POST' && paymentId !== undefined) return complete(paymentId, JSON.parse(rawBody));
  return { status: 404, code: 'NOT_FOUND', message: `no route ${method} ${url}` };
}

const { server, served } = serveRoutes(route);

answerBench(
  {
    start: async (message) => {
      open(message.databasePath);
      keys = { merchantPublicKey: message.merchantPublicKey, walletPrivateKey: message.walletPrivateKey };
      url = await listen(server);
      return { url };
    },
    check: () => {
      const count = (text) => db.prepare(text).pluck().get();
      return {
        succeeded: count("SELECT count(*) FROM payments WHERE status = 'SUCCESS'"),
        notified: count('SELECT count(*) FROM payments WHERE notified = 1'),
        pending: count("SELECT count(*) FROM payments WHERE status = 'SUCCESS' AND notified = 0"),
        failedAttempts,
        requests: served(),
      };
    },
  },
  () => db?.close(),
);
