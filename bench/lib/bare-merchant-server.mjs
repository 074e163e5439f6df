// The bare merchant of the bench's reference rows (bare-orders.mjs, bare-notify.mjs): what a merchant's part of a
// paid order costs with nothing around the work itself. node:http, the pooled signing and verification of
// @minipay/openapi (the protocol's checks included), sessions as an HMAC over the customer's id, and durable SQLite
// (bare-http.mjs `openDurable`: each commit flushed before its answer). It speaks the merchant's API as far as the
// load generator uses it:
//   POST /api/session            { authCode } → { token } (outside every timed window, so the code is not exchanged
//                                with the wallet: the customer is the code's)
//   POST /api/orders             { items } priced from the catalogue given at start; the order and its lines, one commit
//   POST /api/orders/:id/payment CREATED → PAYING with its paymentRequestId (one commit, before the wallet hears of
//                                it), then the signed `pay` to the wallet, its signed answer verified → { paymentId, paymentUrl }
//   GET  /api/orders/:id         the order's status and amount (the customer's own only)
//   POST /notify/payment         the verified notification applied exactly once: a conditional PAYING → PAID with the
//                                payment's id, the notification's record and an outbox row, one commit; a signed ack
// No framework, schema validation library, logging, expiry, inquiry or group commit: the least a correct merchant
// does, so that the real merchant's figures can be read against it. It applies successful notifications only (the
// only ones the bench sends); any other result is answered F and changes nothing.
//
// Messages: { type: 'start', databasePath, clientId, walletUrl?, products?, payingOrders?, walletPublicKey,
// merchantPrivateKey } listens and answers { url, payments }: `payingOrders` PAYING orders seeded for the
// notification row, as the payments the load signs notifications for. { type: 'check' } answers { paid, applied,
// duplicates, requests } as the database and the server have them; 'cpu' answers process.cpuUsage().
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ORDER_LIMITS } from '@minipay/contract';
import { signedResponseAsync, signRequestAsync, verifyNotificationAsync, verifyResponseAsync } from '@minipay/openapi';
import { answerBench, listen, openDurable, post, serveRoutes } from './bare-http.mjs';
import { NOTIFY_PATH, PAY_PATH } from './wire-paths.mjs';

/** What every seeded PAYING order costs, and so what each of its notifications must carry. */
const SEEDED_AMOUNT = { currency: 'USD', value: '1450' };
const SCHEMA = `
  CREATE TABLE orders (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, status TEXT NOT NULL, currency TEXT NOT NULL, amount TEXT NOT NULL,
    payment_request_id TEXT UNIQUE, payment_id TEXT UNIQUE, created_at INTEGER NOT NULL, paid_at INTEGER
  );
  CREATE TABLE order_lines (
    order_id TEXT NOT NULL, line INTEGER NOT NULL, product_id TEXT NOT NULL, quantity INTEGER NOT NULL,
    unit_price INTEGER NOT NULL, PRIMARY KEY (order_id, line)
  );
  CREATE TABLE notifications (id INTEGER PRIMARY KEY, order_id TEXT NOT NULL, outcome TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE TABLE outbox (id INTEGER PRIMARY KEY, order_id TEXT NOT NULL, event TEXT NOT NULL, created_at INTEGER NOT NULL);
`;

let db;
let sql;
let settings;
const sessionKey = randomBytes(32);

function open(databasePath) {
  db = openDurable(databasePath, SCHEMA);
  const orderInsert = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)');
  const lineInsert = db.prepare('INSERT INTO order_lines VALUES (?, ?, ?, ?, ?)');
  const pay = db.prepare(
    "UPDATE orders SET status = 'PAID', payment_id = ?, paid_at = ? WHERE id = ? AND status = 'PAYING'",
  );
  const record = db.prepare('INSERT INTO notifications (order_id, outcome, body, at) VALUES (?, ?, ?, ?)');
  const outbox = db.prepare("INSERT INTO outbox (order_id, event, created_at) VALUES (?, 'order.paid', ?)");
  sql = {
    createOrder: db.transaction((order, lines) => {
      orderInsert.run(order.id, order.customerId, 'CREATED', order.currency, order.amount, null, null, order.at);
      lines.forEach((line, index) => lineInsert.run(order.id, index, line.productId, line.quantity, line.unitPrice));
    }),
    seedPaying: db.transaction((orders) => {
      for (const o of orders)
        orderInsert.run(
          o.orderId,
          'cus_seed',
          'PAYING',
          o.amount.currency,
          o.amount.value,
          o.paymentRequestId,
          o.paymentId,
          0,
        );
    }),
    order: db.prepare('SELECT id, customer_id, status, currency, amount, payment_request_id FROM orders WHERE id = ?'),
    startPaying: db.prepare(
      "UPDATE orders SET status = 'PAYING', payment_request_id = ? WHERE id = ? AND status = 'CREATED'",
    ),
    byPaymentRequest: db.prepare('SELECT id, payment_id, currency, amount FROM orders WHERE payment_request_id = ?'),
    applyPaid: db.transaction((orderId, paymentId, body, at) => {
      const applied = pay.run(paymentId, at, orderId).changes === 1;
      if (applied) outbox.run(orderId, at);
      record.run(orderId, applied ? 'applied' : 'duplicate', body, at);
    }),
  };
}

// --- sessions ---------------------------------------------------------------------------------------------------

function sessionToken(customerId) {
  return `${customerId}.${createHmac('sha256', sessionKey).update(customerId).digest('base64url')}`;
}

/** The customer a request's bearer token names, or undefined when it has none or a forged one. */
function customerOf(request) {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  const dot = token?.lastIndexOf('.') ?? -1;
  if (dot <= 0) return undefined;
  const customerId = token.slice(0, dot);
  const expected = Buffer.from(sessionToken(customerId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? customerId : undefined;
}

// --- orders -----------------------------------------------------------------------------------------------------

/** The priced lines of an order request, or a string naming what is wrong with it. */
function priceItems(body) {
  const items = body?.items;
  if (!Array.isArray(items) || items.length === 0 || items.length > ORDER_LIMITS.maxLines)
    return `items must be 1 to ${ORDER_LIMITS.maxLines} lines`;
  const lines = [];
  for (const [index, item] of items.entries()) {
    const price = settings.prices.get(item?.productId);
    if (price === undefined) return `items[${index}].productId is not in the catalogue`;
    const { quantity } = item;
    if (!Number.isInteger(quantity) || quantity < ORDER_LIMITS.minQuantity || quantity > ORDER_LIMITS.maxQuantity)
      return `items[${index}].quantity must be ${ORDER_LIMITS.minQuantity} to ${ORDER_LIMITS.maxQuantity}`;
    lines.push({ productId: item.productId, quantity, unitPrice: price });
  }
  return lines;
}

function createOrder(customerId, body) {
  const lines = priceItems(body);
  if (typeof lines === 'string') return { status: 400, code: 'INVALID_ORDER', message: lines };
  const amount = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const order = {
    id: `ord_${randomUUID()}`,
    customerId,
    currency: settings.currency,
    amount: String(amount),
    at: Date.now(),
  };
  sql.createOrder(order, lines);
  return {
    status: 201,
    body: { id: order.id, status: 'CREATED', amount: { currency: order.currency, value: order.amount } },
  };
}

/** The customer's own order, or undefined (someone else's is as unknown as a missing one). */
function ownOrder(customerId, orderId) {
  const order = sql.order.get(orderId);
  return order?.customer_id === customerId ? order : undefined;
}

async function startPayment(customerId, orderId) {
  let order = ownOrder(customerId, orderId);
  if (order === undefined) return { status: 404, code: 'ORDER_NOT_FOUND', message: 'no such order' };
  if (order.status === 'CREATED') {
    // Durable before the wallet hears of it: a restart resumes with the same paymentRequestId, never a second one.
    sql.startPaying.run(`pr_${randomBytes(16).toString('hex')}`, orderId);
    order = sql.order.get(orderId);
  }
  if (order.status !== 'PAYING') return { status: 409, code: 'NOT_PAYABLE', message: `the order is ${order.status}` };
  const amount = { currency: order.currency, value: order.amount };
  const body = JSON.stringify({
    paymentRequestId: order.payment_request_id,
    paymentAmount: amount,
    order: { referenceOrderId: order.id, orderDescription: 'bench order', orderAmount: amount },
    paymentNotifyUrl: settings.notifyUrl,
    customerId,
  });
  const headers = await signRequestAsync({
    path: PAY_PATH,
    clientId: settings.clientId,
    body,
    privateKey: settings.merchantPrivateKey,
  });
  const answer = await post(settings.walletUrl + PAY_PATH, headers, body);
  const verified = await verifyResponseAsync({
    headers: answer.headers,
    rawBody: answer.text,
    path: PAY_PATH,
    publicKey: settings.walletPublicKey,
    clientId: settings.clientId,
    httpStatus: answer.status,
  });
  const status = verified.result?.resultStatus;
  const paymentUrl = verified.redirectActionForm?.redirectionUrl;
  if ((status !== 'A' && status !== 'S') || !verified.paymentId || !paymentUrl)
    return { status: 502, code: 'PAYMENT_NOT_STARTED', message: `pay answered ${verified.result?.resultCode}` };
  return { status: 200, body: { paymentId: verified.paymentId, paymentUrl } };
}

function readOrder(customerId, orderId) {
  const order = ownOrder(customerId, orderId);
  if (order === undefined) return { status: 404, code: 'ORDER_NOT_FOUND', message: 'no such order' };
  return {
    status: 200,
    body: { id: order.id, status: order.status, amount: { currency: order.currency, value: order.amount } },
  };
}

// --- notifications ----------------------------------------------------------------------------------------------

/** The acknowledgement's `result` for a verified notification: S once it is applied (or was already). */
function applyNotification(notification, rawBody) {
  if (notification.paymentResult.resultStatus !== 'S')
    return { resultStatus: 'F', resultCode: 'NOT_SUPPORTED', resultMessage: 'only successful payments are applied' };
  const order = sql.byPaymentRequest.get(notification.paymentRequestId);
  if (order === undefined)
    return { resultStatus: 'F', resultCode: 'PAYMENT_NOT_FOUND', resultMessage: 'no such payment' };
  const { currency, value } = notification.paymentAmount;
  const knownPayment = order.payment_id === null || order.payment_id === notification.paymentId;
  if (!knownPayment || order.currency !== currency || order.amount !== value)
    return { resultStatus: 'F', resultCode: 'PAYMENT_MISMATCH', resultMessage: 'not this order' };
  sql.applyPaid(order.id, notification.paymentId, rawBody, Date.now());
  return { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' };
}

async function notify(request, rawBody) {
  const notification = await verifyNotificationAsync({
    headers: request.headers,
    rawBody,
    path: NOTIFY_PATH,
    publicKey: settings.walletPublicKey,
  });
  const result = applyNotification(notification, rawBody);
  const clientId = String(request.headers['client-id']);
  const ack = await signedResponseAsync({
    result,
    clientId,
    path: NOTIFY_PATH,
    privateKey: settings.merchantPrivateKey,
  });
  return { status: 200, body: ack.body, headers: ack.headers };
}

// --- routing ----------------------------------------------------------------------------------------------------

/** The API's routes and the notification's; each answers as `serveRoutes` (bare-http.mjs) takes it. */
async function route(request, rawBody) {
  const { method, url } = request;
  if (method === 'POST' && url === NOTIFY_PATH) return notify(request, rawBody);
  if (method === 'POST' && url === '/api/session') {
    const authCode = JSON.parse(rawBody || '{}').authCode;
    if (typeof authCode !== 'string' || authCode === '')
      return { status: 400, code: 'INVALID_AUTH_CODE', message: 'authCode is missing' };
    return { status: 200, body: { token: sessionToken(`cus_${authCode}`) } };
  }
  const customerId = customerOf(request);
  if (customerId === undefined) return { status: 401, code: 'UNAUTHENTICATED', message: 'no valid session token' };
  if (method === 'POST' && url === '/api/orders') return createOrder(customerId, JSON.parse(rawBody));
  const [, orderId, payment] = /^\/api\/orders\/([^/]+)(\/payment)?$/.exec(url) ?? [];
  if (orderId !== undefined && method === 'POST' && payment) return startPayment(customerId, orderId);
  if (orderId !== undefined && method === 'GET' && !payment) return readOrder(customerId, orderId);
  return { status: 404, code: 'NOT_FOUND', message: `no route ${method} ${url}` };
}

const { server, served } = serveRoutes(route);

/** `count` PAYING orders as if their `pay` had been accepted, for the notification row. */
function seedPaying(count) {
  const payments = Array.from({ length: count }, (_, i) => ({
    orderId: `ord_seed_${i}`,
    paymentId: `pay_${randomUUID()}`,
    paymentRequestId: `pr_seed_${i}`,
    amount: SEEDED_AMOUNT,
  }));
  sql.seedPaying(payments);
  return payments;
}

answerBench(
  {
    start: async (message) => {
      open(message.databasePath);
      const products = message.products ?? [];
      settings = {
        clientId: message.clientId,
        walletUrl: message.walletUrl,
        walletPublicKey: message.walletPublicKey,
        merchantPrivateKey: message.merchantPrivateKey,
        currency: products[0]?.price.currency ?? SEEDED_AMOUNT.currency,
        prices: new Map(products.map((product) => [product.id, Number(product.price.value)])),
      };
      const url = await listen(server);
      settings.notifyUrl = url + NOTIFY_PATH;
      return { url, payments: seedPaying(message.payingOrders ?? 0) };
    },
    check: () => {
      const count = (text) => db.prepare(text).pluck().get();
      return {
        paid: count("SELECT count(*) FROM orders WHERE status = 'PAID'"),
        applied: count("SELECT count(*) FROM notifications WHERE outcome = 'applied'"),
        duplicates: count("SELECT count(*) FROM notifications WHERE outcome = 'duplicate'"),
        requests: served(),
      };
    },
  },
  () => db?.close(),
);
