// POST /notify/payment: exactly-once application however the notification arrives, and refusal of anything that
// cannot be believed or does not match the order. Notifications come from the real sandbox, or are crafted here
// and signed with the wallet's key from the temp home (openapi's signRequest).
import { keyFingerprint, verifyResponse, type NotifyPaymentRequest } from '@minipay/openapi';
import type { Order as OrderJson } from '@minipay/contract';
import type { RunningMerchantServer } from '../src';
import {
  call,
  complete,
  createOrder,
  eventually,
  finalOrder,
  getOrder,
  logCollector,
  orderEvents,
  orderRow,
  postNotification,
  readDatabase,
  setFaults,
  signedNotification,
  signIn,
  startPayment,
  startStack,
  successNotification,
  type Stack,
} from './helpers';

let stack: Stack;
let logs: ReturnType<typeof logCollector>;
let merchant: RunningMerchantServer;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  logs = logCollector();
  merchant = await stack.startMerchant({ log: { level: 'info', stream: logs.stream } });
  ({ token } = await signIn(stack, undefined, merchant));
});
afterAll(() => stack.close());
afterEach(async () => {
  await call(stack.sandbox.url, 'DELETE', '/sandbox/faults');
});

/** An order PAYING at the sandbox, with the ids a notification names. */
async function payingOrder(): Promise<{ order: OrderJson; payment: { paymentId: string; paymentRequestId: string } }> {
  const order = await createOrder(merchant, token);
  const { paymentId } = await startPayment(merchant, token, order.id);
  const paymentRequestId = orderRow(stack, order.id).payment_request_id as string;
  return { order, payment: { paymentId, paymentRequestId } };
}

function finalTransitions(orderId: string): number {
  return orderEvents(stack, orderId).filter((e) => e.from_status === 'PAYING').length;
}

function errorLogsAbout(orderId: string): Array<Record<string, unknown>> {
  return logs.entries().filter((entry) => entry.orderId === orderId && (entry.level as number) >= 50);
}

function expectSignedAck(
  answer: { headers: Headers; text: string },
  result: Record<string, string>,
  more: Record<string, unknown> = {},
): void {
  const body = verifyResponse({
    headers: answer.headers,
    rawBody: answer.text,
    path: '/notify/payment',
    publicKey: stack.dev.merchantPublicKey,
  });
  expect(body).toEqual({ result, ...more });
}

const S_ACK = { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' };

describe('exactly once', () => {
  test('a notification the sandbox sends 5 times is applied once, and every copy gets the signed S acknowledgement', async () => {
    await setFaults(stack, { duplicate: 5 });
    const { order, payment } = await payingOrder();
    await complete(stack, payment.paymentId, 'pay');
    await stack.sandbox.whenIdle();
    expect((await getOrder(merchant, token, order.id)).status).toBe('PAID');
    expect(finalTransitions(order.id)).toBe(1);
    const outcomes = readDatabase(stack, (db) =>
      db
        .prepare(
          'SELECT outcome, COUNT(*) AS n FROM notifications WHERE order_id = ? GROUP BY outcome ORDER BY outcome',
        )
        .all(order.id),
    );
    expect(outcomes).toEqual([
      { outcome: 'applied', n: 1 },
      { outcome: 'duplicate', n: 4 },
    ]);
    const attempts = await call<{ notification: { attempts: Array<Record<string, unknown>> } }>(
      stack.sandbox.url,
      'GET',
      `/sandbox/payments/${payment.paymentId}`,
    );
    expect(attempts.body.notification.attempts.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(attempts.body.notification.attempts)).not.toMatch(/INVALID|rejected|"U"/);
  });

  test('20 identical notifications at once: one transition, 20 signed S acknowledgements', async () => {
    const { order, payment } = await payingOrder();
    const signed = signedNotification(stack, successNotification(order, payment));
    const answers = await Promise.all(Array.from({ length: 20 }, () => postNotification(merchant, signed)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (const answer of answers) expectSignedAck(answer, S_ACK);
    expect((await getOrder(merchant, token, order.id)).status).toBe('PAID');
    expect(finalTransitions(order.id)).toBe(1);
  });

  test('20 notifications at once split over two server instances sharing the database: one transition', async () => {
    const second = await stack.startMerchant();
    try {
      const { order, payment } = await payingOrder();
      const signed = signedNotification(stack, successNotification(order, payment));
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postNotification(i % 2 === 0 ? merchant : second, signed)),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(finalTransitions(order.id)).toBe(1);
    } finally {
      await second.close();
    }
  });

  test('success and failure notifications racing for one order: exactly one wins, the other is acknowledged and logged', async () => {
    const { order, payment } = await payingOrder();
    const success = signedNotification(stack, successNotification(order, payment));
    const failure = signedNotification(
      stack,
      successNotification(order, payment, {
        paymentResult: { resultStatus: 'F', resultCode: 'USER_BALANCE_NOT_ENOUGH', resultMessage: 'no money' },
      }),
    );
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postNotification(merchant, i % 2 === 0 ? success : failure)),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(finalTransitions(order.id)).toBe(1);
    expect(['PAID', 'FAILED']).toContain((await getOrder(merchant, token, order.id)).status);
    expect(errorLogsAbout(order.id).length).toBeGreaterThan(0);
  });

  test('a failure notification arriving after the order was paid changes nothing, is acknowledged S and logged at error level', async () => {
    const { order, payment } = await payingOrder();
    await complete(stack, payment.paymentId, 'pay');
    await finalOrder(merchant, token, order.id);
    const late = signedNotification(
      stack,
      successNotification(order, payment, {
        paymentResult: { resultStatus: 'F', resultCode: 'USER_BALANCE_NOT_ENOUGH', resultMessage: 'late' },
      }),
    );
    const answer = await postNotification(merchant, late);
    expect(answer.status).toBe(200);
    expectSignedAck(answer, S_ACK);
    expect((await getOrder(merchant, token, order.id)).status).toBe('PAID');
    expect(finalTransitions(order.id)).toBe(1);
    expect(errorLogsAbout(order.id).map((e) => e.msg)).toEqual([expect.stringContaining('contradicts')]);
  });

  test('a success notification for an order already FAILED is not applied, and is logged as money to refund', async () => {
    const { order, payment } = await payingOrder();
    await complete(stack, payment.paymentId, 'fail');
    expect((await finalOrder(merchant, token, order.id)).status).toBe('FAILED');
    const answer = await postNotification(merchant, signedNotification(stack, successNotification(order, payment)));
    expectSignedAck(answer, S_ACK);
    expect((await getOrder(merchant, token, order.id)).status).toBe('FAILED');
    expect(errorLogsAbout(order.id).map((e) => e.msg)).toEqual([
      expect.stringMatching(/MONEY RECEIVED FOR A FAILED ORDER/),
    ]);
  });

  test('a notification sent before the cashier answers (sandbox sendBeforeCashier) is applied once', async () => {
    await setFaults(stack, { sendBeforeCashier: true, duplicate: 2 });
    const { order, payment } = await payingOrder();
    await complete(stack, payment.paymentId, 'pay');
    expect((await finalOrder(merchant, token, order.id)).status).toBe('PAID');
    await stack.sandbox.whenIdle();
    expect(finalTransitions(order.id)).toBe(1);
  });

  test('a notification that beats the pay answer (paymentId not yet stored) is matched by paymentRequestId', async () => {
    // A merchant whose wallet URL leads nowhere: the order goes PAYING with its paymentRequestId, no paymentId.
    const offline = await stack.startMerchant({ walletUrl: 'http://127.0.0.1:9', walletTimeoutMs: 500 });
    try {
      const order = await createOrder(offline, token);
      expect((await call(offline.url, 'POST', `/api/orders/${order.id}/payment`, { token })).status).toBe(503);
      const paymentRequestId = orderRow(stack, order.id).payment_request_id as string;
      expect(orderRow(stack, order.id).payment_id).toBeNull();
      const answer = await postNotification(
        merchant,
        signedNotification(stack, successNotification(order, { paymentId: 'WALLET_PAY_1', paymentRequestId })),
      );
      expectSignedAck(answer, S_ACK);
      expect(orderRow(stack, order.id)).toMatchObject({ status: 'PAID', payment_id: 'WALLET_PAY_1' });
    } finally {
      await offline.close();
    }
  });

  test('a notification that was dropped twice is applied when the sandbox retries', async () => {
    await setFaults(stack, { dropFirst: 2 });
    const { order, payment } = await payingOrder();
    await complete(stack, payment.paymentId, 'pay');
    expect((await finalOrder(merchant, token, order.id)).status).toBe('PAID');
    expect(finalTransitions(order.id)).toBe(1);
  });
});

describe('notifications that do not match an order get a signed F and change nothing', () => {
  test.each([
    [
      'a wrong amount',
      'AMOUNT_MISMATCH',
      (o: OrderJson) => ({ paymentAmount: { currency: 'USD', value: String(Number(o.amount.value) - 1) } }),
    ],
    [
      'an amount written differently ("0" prefix)',
      'AMOUNT_MISMATCH',
      (o: OrderJson) => ({ paymentAmount: { currency: 'USD', value: `0${o.amount.value}` } }),
    ],
    [
      'a wrong currency',
      'CURRENCY_MISMATCH',
      (o: OrderJson) => ({ paymentAmount: { currency: 'EUR', value: o.amount.value } }),
    ],
  ])(
    '%s → F %s, logged at error level, and the right notification still applies afterwards',
    async (_name, code, tamper) => {
      const { order, payment } = await payingOrder();
      const answer = await postNotification(
        merchant,
        signedNotification(stack, successNotification(order, payment, tamper(order) as Partial<NotifyPaymentRequest>)),
      );
      expect(answer.status).toBe(200);
      expectSignedAck(answer, {
        resultStatus: 'F',
        resultCode: code,
        resultMessage: expect.any(String) as unknown as string,
      });
      expect((await getOrder(merchant, token, order.id)).status).toBe('PAYING');
      expect(orderEvents(stack, order.id)).toHaveLength(1);
      expect(errorLogsAbout(order.id)).toEqual([
        expect.objectContaining({ level: 50, msg: expect.stringContaining('NOT APPLIED') }),
      ]);

      const right = await postNotification(merchant, signedNotification(stack, successNotification(order, payment)));
      expectSignedAck(right, S_ACK);
      expect((await getOrder(merchant, token, order.id)).status).toBe('PAID');
    },
  );

  test.each([
    ['a decimal value', { currency: 'USD', value: '14.50' }, /paymentAmount\.value must be minor units/],
    ['a number', { currency: 'USD', value: 1450 }, /paymentAmount\.value must be minor units/],
    ['a lowercase currency', { currency: 'usd', value: '1450' }, /paymentAmount\.currency must be an ISO 4217 code/],
    ['no value', { currency: 'USD' }, /paymentAmount\.value must be minor units.*got nothing/],
    ['a string instead of an object', '1450', /paymentAmount must be an object/],
    ['no paymentAmount at all', undefined, /paymentAmount is missing/],
  ])(
    'a signed notification with a malformed amount (%s) → signed F AMOUNT_MALFORMED, recorded, logged at error level',
    async (_name, paymentAmount, problem) => {
      const { order, payment } = await payingOrder();
      const body = { ...successNotification(order, payment), paymentAmount } as Record<string, unknown>;
      if (paymentAmount === undefined) delete body.paymentAmount;
      const answer = await postNotification(
        merchant,
        signedNotification(stack, body as unknown as NotifyPaymentRequest),
      );
      expect(answer.status).toBe(200);
      expectSignedAck(answer, {
        resultStatus: 'F',
        resultCode: 'AMOUNT_MALFORMED',
        resultMessage: expect.stringMatching(problem) as unknown as string,
      });
      expect((await getOrder(merchant, token, order.id)).status).toBe('PAYING');
      expect(orderEvents(stack, order.id)).toHaveLength(1);
      const recorded = readDatabase(stack, (db) =>
        db.prepare('SELECT outcome, payment_id FROM notifications WHERE order_id = ?').all(order.id),
      );
      expect(recorded).toEqual([{ outcome: 'malformed-amount', payment_id: payment.paymentId }]);
      expect(errorLogsAbout(order.id)).toEqual([
        expect.objectContaining({ level: 50, msg: expect.stringMatching(/malformed amount: NOT APPLIED/) }),
      ]);
    },
  );

  test('an unknown payment → F PAYMENT_NOT_FOUND', async () => {
    const { order } = await payingOrder();
    const answer = await postNotification(
      merchant,
      signedNotification(stack, successNotification(order, { paymentId: 'SBXPAY_NOPE', paymentRequestId: 'pr_nope' })),
    );
    expect(answer.status).toBe(200);
    expectSignedAck(answer, {
      resultStatus: 'F',
      resultCode: 'PAYMENT_NOT_FOUND',
      resultMessage: expect.any(String) as unknown as string,
    });
    expect((await getOrder(merchant, token, order.id)).status).toBe('PAYING');
  });

  test('the paymentId of one order with the paymentRequestId of another → F PAYMENT_MISMATCH, neither changes', async () => {
    const a = await payingOrder();
    const b = await payingOrder();
    const answer = await postNotification(
      merchant,
      signedNotification(
        stack,
        successNotification(a.order, { paymentId: a.payment.paymentId, paymentRequestId: b.payment.paymentRequestId }),
      ),
    );
    expectSignedAck(answer, {
      resultStatus: 'F',
      resultCode: 'PAYMENT_MISMATCH',
      resultMessage: expect.any(String) as unknown as string,
    });
    expect((await getOrder(merchant, token, a.order.id)).status).toBe('PAYING');
    expect((await getOrder(merchant, token, b.order.id)).status).toBe('PAYING');
  });
});

describe('notifications that cannot be believed get 401 and change nothing', () => {
  test.each([
    [
      "signed with a key that is not the wallet's",
      'INVALID_SIGNATURE',
      (s: Stack) => ({ privateKey: s.dev.merchantPrivateKey }),
    ],
    [
      'with a stale Request-Time (10 minutes old)',
      'REQUEST_TIME_OUTSIDE_WINDOW',
      () => ({ now: new Date(Date.now() - 10 * 60_000) }),
    ],
    [
      'with a Request-Time in the future (10 minutes ahead)',
      'REQUEST_TIME_OUTSIDE_WINDOW',
      () => ({ now: new Date(Date.now() + 10 * 60_000) }),
    ],
    ['signed over another path', 'INVALID_SIGNATURE', () => ({ path: '/somewhere/else' })],
  ])('a notification %s → 401 %s', async (_name, code, options) => {
    const { order, payment } = await payingOrder();
    const answer = await postNotification(
      merchant,
      signedNotification(stack, successNotification(order, payment), options(stack)),
    );
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe(code);
    expect((await getOrder(merchant, token, order.id)).status).toBe('PAYING');
  });

  test('a body changed after signing (a higher amount) → 401 INVALID_SIGNATURE', async () => {
    const { order, payment } = await payingOrder();
    const signed = signedNotification(stack, successNotification(order, payment));
    const tampered = {
      headers: signed.headers,
      body: signed.body.replace(`"value":"${order.amount.value}"`, '"value":"1"'),
    };
    expect(tampered.body).not.toBe(signed.body);
    const answer = await postNotification(merchant, tampered);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('INVALID_SIGNATURE');
  });

  test.each(['signature', 'request-time', 'client-id'])(
    'a notification without the %s header → 401 MISSING_HEADER',
    async (name) => {
      const { order, payment } = await payingOrder();
      const signed = signedNotification(stack, successNotification(order, payment));
      const headers = Object.fromEntries(Object.entries(signed.headers).filter(([key]) => key.toLowerCase() !== name));
      const answer = await postNotification(merchant, { headers, body: signed.body });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('MISSING_HEADER');
      expect(answer.body.error.message).toMatch(new RegExp(name, 'i'));
    },
  );

  test('a notification signed by the wallet for another Client-Id → 401 UNKNOWN_CLIENT', async () => {
    const { order, payment } = await payingOrder();
    const answer = await postNotification(
      merchant,
      signedNotification(stack, successNotification(order, payment), { clientId: 'SOMEONE_ELSE' }),
    );
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('UNKNOWN_CLIENT');
  });

  test("the sandbox's badSignature fault: every attempt is refused and the order stays PAYING until a good one arrives", async () => {
    const { order, payment } = await payingOrder();
    await setFaults(stack, { paymentId: payment.paymentId, badSignature: true });
    await complete(stack, payment.paymentId, 'pay');
    await stack.sandbox.whenIdle();
    expect(orderRow(stack, order.id).status).toBe('PAYING');
    await call(stack.sandbox.url, 'DELETE', `/sandbox/faults?paymentId=${payment.paymentId}`);
    await call(stack.sandbox.url, 'POST', `/sandbox/payments/${payment.paymentId}/notify`);
    expect((await finalOrder(merchant, token, order.id)).status).toBe('PAID');
  });

  test('a signed body that is not a notification → 400 naming the problem', async () => {
    const signed = signedNotification(stack, { hello: 'world' });
    const answer = await postNotification(merchant, signed);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('INVALID_REQUEST');
    expect(answer.body.error.message).toMatch(/paymentId/);
  });

  test('an oversized notification body → 413 before any verification, still a signed answer', async () => {
    const answer = await call(merchant.url, 'POST', '/notify/payment', { raw: `{"x":"${'a'.repeat(70 * 1024)}"}` });
    expect(answer.status).toBe(413);
    const message = 'the request body is larger than 65536 bytes';
    expect(answer.body).toEqual({
      result: { resultCode: 'PAYLOAD_TOO_LARGE', resultStatus: 'F', resultMessage: message },
      error: { code: 'PAYLOAD_TOO_LARGE', message },
    });
    expectSignedAck(
      answer,
      { resultCode: 'PAYLOAD_TOO_LARGE', resultStatus: 'F', resultMessage: message },
      { error: { code: 'PAYLOAD_TOO_LARGE', message } },
    );
  });

  test('every refusal is signed too: an F result the wallet reads, and the error people read', async () => {
    const { order, payment } = await payingOrder();
    const answer = await postNotification(
      merchant,
      signedNotification(stack, successNotification(order, payment), { path: '/somewhere/else' }),
    );
    expect(answer.status).toBe(401);
    expectSignedAck(
      answer,
      { resultCode: 'INVALID_SIGNATURE', resultStatus: 'F', resultMessage: answer.body.error.message },
      { error: answer.body.error },
    );
  });

  test("a refused notification is logged with the signature doctor's diagnosis: cause, content string, keys; no secret", async () => {
    const { order, payment } = await payingOrder();
    const signed = signedNotification(stack, successNotification(order, payment), {
      privateKey: stack.dev.merchantPrivateKey,
    });
    await postNotification(merchant, signed);
    const entry = await eventually(
      () =>
        logs
          .entries()
          .find(
            (e) =>
              (e.diagnosis as { checked?: { time?: string } } | undefined)?.checked?.time ===
              signed.headers['Request-Time'],
          ),
      'the rejection with its diagnosis',
    );
    expect(entry).toMatchObject({
      level: 40,
      msg: "notification rejected: cannot be believed: the request signature does not verify for POST /notify/payment: signed with the key of the merchant's own public key, not the wallet public key",
      code: 'INVALID_SIGNATURE',
      diagnosis: {
        cause: 'WRONG_KEY',
        keyTried: { name: 'the wallet public key', fingerprint: keyFingerprint(stack.dev.walletPublicKey) },
        keyThatVerifies: {
          name: "the merchant's own public key",
          fingerprint: keyFingerprint(stack.dev.merchantPublicKey),
        },
        checked: {
          path: '/notify/payment',
          clientId: stack.dev.clientId,
          contentHead: `POST /notify/payment\n${stack.dev.clientId}.${signed.headers['Request-Time']}.`,
        },
      },
    });
    expect(JSON.stringify(entry)).not.toContain(payment.paymentRequestId);
  });

  test('never leaks: no signature, token or key material in the logs', async () => {
    await eventually(() => (logs.lines.length > 0 ? true : undefined), 'some log lines');
    const all = logs.lines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain('PRIVATE KEY');
    expect(all).not.toContain(stack.dev.sessionSecret);
    expect(all).not.toMatch(/signature=[A-Za-z0-9%]{20,}/);
    expect(all).not.toMatch(/"stack"/);
  });
});
