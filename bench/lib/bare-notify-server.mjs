// The bare notification endpoint of bare-notify.mjs: what applying a notification costs with nothing around the
// work itself. node:http, the pooled verification and signing of @minipay/openapi (the protocol's checks included),
// and one SQLite transaction per notification (WAL, `synchronous = FULL`: durable when acknowledged): a conditional
// PAYING → PAID, the notification's record, an outbox row. No framework, schema validation, sessions, logging or
// group commit: the least a correct endpoint does, so that the merchant's figure can be read against it. It applies
// successful notifications only (the only ones the bench sends); any other result is answered F and changes nothing.
//
// Messages: { type: 'start', databasePath, orders, walletPublicKey, merchantPrivateKey } seeds `orders` PAYING orders
// and listens; it answers { url, payments } (what the load signs notifications for). { type: 'cpu' } answers
// process.cpuUsage(); { type: 'check' } answers { paid, applied, duplicates } as the database has them.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import Database from 'better-sqlite3';
import { signedResponseAsync, verifyNotificationAsync } from '@minipay/openapi';

const PATH = '/notify/payment';
/** What every seeded order costs, and so what each notification must carry. */
const AMOUNT = { currency: 'USD', value: '1450' };
const SCHEMA = `
  CREATE TABLE orders (
    id TEXT PRIMARY KEY, payment_id TEXT NOT NULL UNIQUE, payment_request_id TEXT NOT NULL,
    status TEXT NOT NULL, currency TEXT NOT NULL, amount TEXT NOT NULL, paid_at INTEGER
  );
  CREATE TABLE notifications (id INTEGER PRIMARY KEY, order_id TEXT NOT NULL, outcome TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE TABLE outbox (id INTEGER PRIMARY KEY, order_id TEXT NOT NULL, event TEXT NOT NULL, created_at INTEGER NOT NULL);
`;

let db;
let statements;

function open(databasePath, orders) {
  db = new Database(databasePath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  const insert = db.prepare("INSERT INTO orders VALUES (?, ?, ?, 'PAYING', ?, ?, NULL)");
  const payments = [];
  db.transaction(() => {
    for (let i = 0; i < orders; i++) {
      const payment = { orderId: `ord_bare_${i}`, paymentId: `pay_${randomUUID()}`, paymentRequestId: `req_${i}` };
      insert.run(payment.orderId, payment.paymentId, payment.paymentRequestId, AMOUNT.currency, AMOUNT.value);
      payments.push({ ...payment, amount: AMOUNT });
    }
  })();
  const find = db.prepare('SELECT id, payment_request_id, currency, amount FROM orders WHERE payment_id = ?');
  const pay = db.prepare("UPDATE orders SET status = 'PAID', paid_at = ? WHERE id = ? AND status = 'PAYING'");
  const record = db.prepare('INSERT INTO notifications (order_id, outcome, body, at) VALUES (?, ?, ?, ?)');
  const outbox = db.prepare("INSERT INTO outbox (order_id, event, created_at) VALUES (?, 'order.paid', ?)");
  const apply = db.transaction((orderId, body, at) => {
    const applied = pay.run(at, orderId).changes === 1;
    if (applied) outbox.run(orderId, at);
    record.run(orderId, applied ? 'applied' : 'duplicate', body, at);
  });
  statements = { find, apply };
  return payments;
}

/** The acknowledgement's `result` for a verified notification: S once it is applied (or was already). */
function applyNotification(notification, rawBody) {
  if (notification.paymentResult.resultStatus !== 'S')
    return { resultStatus: 'F', resultCode: 'NOT_SUPPORTED', resultMessage: 'only successful payments are applied' };
  const order = statements.find.get(notification.paymentId);
  if (order === undefined)
    return { resultStatus: 'F', resultCode: 'PAYMENT_NOT_FOUND', resultMessage: 'no such payment' };
  const { currency, value } = notification.paymentAmount;
  if (
    order.payment_request_id !== notification.paymentRequestId ||
    order.currency !== currency ||
    order.amount !== value
  )
    return { resultStatus: 'F', resultCode: 'PAYMENT_MISMATCH', resultMessage: 'not this order' };
  statements.apply(order.id, rawBody, Date.now());
  return { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' };
}

function serve(keys) {
  return http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      try {
        const notification = await verifyNotificationAsync({
          headers: request.headers,
          rawBody,
          path: PATH,
          publicKey: keys.walletPublicKey,
        });
        const result = applyNotification(notification, rawBody);
        const clientId = String(request.headers['client-id']);
        const ack = await signedResponseAsync({ result, clientId, path: PATH, privateKey: keys.merchantPrivateKey });
        response.writeHead(200, ack.headers);
        response.end(ack.body);
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end(String(error?.message ?? error));
      }
    });
  });
}

const commands = {
  ready: () => ({}),
  start: (message) =>
    new Promise((resolve) => {
      const payments = open(message.databasePath, message.orders);
      const server = serve(message);
      server.keepAliveTimeout = 60_000;
      server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, payments }));
    }),
  cpu: () => process.cpuUsage(),
  check: () => {
    const count = (sql) => db.prepare(sql).pluck().get();
    return {
      paid: count("SELECT count(*) FROM orders WHERE status = 'PAID'"),
      applied: count("SELECT count(*) FROM notifications WHERE outcome = 'applied'"),
      duplicates: count("SELECT count(*) FROM notifications WHERE outcome = 'duplicate'"),
    };
  },
};

// Answers each message with one of the same `type`, as the bench's parts do (processes.mjs).
process.on('message', async (message) => {
  if (message?.type === 'stop') {
    db?.close();
    process.exit(0);
  }
  try {
    process.send({ type: message.type, ...(await commands[message.type](message)) });
  } catch (error) {
    process.send({ type: 'error', message: String(error?.message ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
