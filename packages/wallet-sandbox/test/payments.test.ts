// Payment state: idempotency, inquiry, cancel, refunds, expiry and the scripting API's complete.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRequestTime } from '@minipay/openapi';
import { PaymentBook } from '../src/internal/payments';
import { StateStore } from '../src/internal/state-store';
import { call, json, payRequest, startReceiver, startTestSandbox, type TestSandbox } from './helpers';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

async function pay(overrides = {}) {
  const request = payRequest(overrides);
  const answer = await call(t, '/v2/payments/pay', request);
  expect(answer.body.result.resultCode).toBe('ACCEPT');
  return { request, paymentId: answer.body.paymentId as string, answer };
}

describe('idempotency of pay', () => {
  test('the same paymentRequestId with the same content gets the same answer and the same paymentId', async () => {
    const first = await pay();
    const again = await call(t, '/v2/payments/pay', first.request);
    expect(again.body).toEqual(first.answer.body);
    const listed = await json(t, 'GET', '/sandbox/payments');
    expect(listed.body.payments.filter((p: any) => p.paymentRequestId === first.request.paymentRequestId)).toHaveLength(
      1,
    );
  });

  test('key order does not matter, nor the volatile paymentExpiryTime and order.orderCreateTime', async () => {
    const first = await pay({ paymentExpiryTime: formatRequestTime(new Date(Date.now() + 600_000)) });
    const { paymentAmount, order, ...rest } = first.request;
    const reordered = {
      ...rest,
      paymentExpiryTime: formatRequestTime(new Date(Date.now() + 900_000)),
      order: { ...order, orderCreateTime: formatRequestTime() },
      paymentAmount: { value: paymentAmount.value, currency: paymentAmount.currency },
    };
    const again = await call(t, '/v2/payments/pay', reordered);
    expect(again.body.paymentId).toBe(first.paymentId);
  });

  test.each([
    ['another amount', (r: any) => ({ ...r, paymentAmount: { currency: 'USD', value: '1' } })],
    ['another order', (r: any) => ({ ...r, order: { ...r.order, referenceOrderId: 'other' } })],
    ['another notify URL', (r: any) => ({ ...r, paymentNotifyUrl: 'http://127.0.0.1:1/other' })],
  ])('the same paymentRequestId with %s gets F REPEAT_REQ_INCONSISTENT', async (_name, change) => {
    const first = await pay();
    const again = await call(t, '/v2/payments/pay', change(first.request));
    expect(again.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });
    expect(again.body.paymentId).toBeUndefined();
  });
});

describe('inquiryPayment', () => {
  test('finds a payment by paymentRequestId, and paymentId wins when both are given', async () => {
    const a = await pay();
    const b = await pay();
    const byRequestId = await call(t, '/v2/payments/inquiryPayment', { paymentRequestId: a.request.paymentRequestId });
    expect(byRequestId.body).toMatchObject({
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      paymentId: a.paymentId,
      paymentStatus: 'PROCESSING',
      paymentAmount: a.request.paymentAmount,
    });
    const both = await call(t, '/v2/payments/inquiryPayment', {
      paymentId: b.paymentId,
      paymentRequestId: a.request.paymentRequestId,
    });
    expect(both.body.paymentId).toBe(b.paymentId);
  });

  test('an unknown payment gets F ORDER_NOT_EXIST', async () => {
    const answer = await call(t, '/v2/payments/inquiryPayment', { paymentId: 'SBXPAY-missing' });
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' });
  });

  test('a FAIL payment reports paymentFailReason USER_BALANCE_NOT_ENOUGH; a SUCCESS one its paymentTime', async () => {
    const failed = await pay();
    await json(t, 'POST', `/sandbox/payments/${failed.paymentId}/complete`, { outcome: 'fail' });
    const answer = await call(t, '/v2/payments/inquiryPayment', { paymentId: failed.paymentId });
    expect(answer.body.paymentStatus).toBe('FAIL');
    expect(answer.body.paymentFailReason).toEqual({
      resultCode: 'USER_BALANCE_NOT_ENOUGH',
      resultMessage: 'The user balance is not enough.',
    });
    expect(answer.body.paymentTime).toBeUndefined();

    const paid = await pay();
    await json(t, 'POST', `/sandbox/payments/${paid.paymentId}/complete`, { outcome: 'processing' });
    const success = await call(t, '/v2/payments/inquiryPayment', { paymentId: paid.paymentId });
    expect(success.body.paymentStatus).toBe('SUCCESS');
    expect(success.body.paymentTime).toMatch(/^\d{4}-\d{2}-\d{2}T.*\+00:00$/);
    expect(success.body.paymentFailReason).toBeUndefined();
  });
});

describe('the scripting API complete', () => {
  test('answers { resultCode, paymentStatus } and refuses a second outcome with 409', async () => {
    const { paymentId } = await pay();
    const first = await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'network-error' });
    expect(first).toEqual({ status: 200, body: { paymentId, resultCode: '6002', paymentStatus: 'SUCCESS' } });
    const second = await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'fail' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: { code: 'ORDER_STATUS_INVALID' }, paymentStatus: 'SUCCESS' });
  });

  test.each([
    ['an unknown outcome', { outcome: 'refund' }, 400, 'INVALID_OUTCOME'],
    ['no outcome', {}, 400, 'INVALID_OUTCOME'],
  ])('%s is refused naming the six outcomes', async (_name, body, status, code) => {
    const { paymentId } = await pay();
    const answer = await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, body);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.message).toContain('pay, processing, fail, cancel, network-error, unknown');
  });

  test('JSON sent with a form content type (a runtime that drops the header) is still read; CORS is open', async () => {
    const { paymentId } = await pay();
    const response = await fetch(`${t.sandbox.url}/sandbox/payments/${paymentId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://simulator.local' },
      body: JSON.stringify({ outcome: 'pay' }),
    });
    expect(await response.json()).toMatchObject({ resultCode: '9000' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${t.sandbox.url}/sandbox/auth-codes`, {
      method: 'OPTIONS',
      headers: { origin: 'http://simulator.local', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  test('an unknown payment is 404; a body that is not JSON is 400', async () => {
    expect((await json(t, 'POST', '/sandbox/payments/nope/complete', { outcome: 'pay' })).status).toBe(404);
    const response = await fetch(`${t.sandbox.url}/sandbox/payments/nope/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{outcome',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toContain('JSON');
  });
});

describe('cancel', () => {
  test('cancels a payment without an outcome (and again), refuses after success, and the cashier then refuses', async () => {
    const open = await pay();
    const cancelled = await call(t, '/v2/payments/cancel', { paymentRequestId: open.request.paymentRequestId });
    expect(cancelled.body).toMatchObject({ result: { resultStatus: 'S' }, paymentId: open.paymentId });
    expect(cancelled.body.cancelTime).toMatch(/\+00:00$/);
    const again = await call(t, '/v2/payments/cancel', { paymentId: open.paymentId });
    expect(again.body.result.resultStatus).toBe('S');
    const inquiry = await call(t, '/v2/payments/inquiryPayment', { paymentId: open.paymentId });
    expect(inquiry.body.paymentStatus).toBe('CANCELLED');
    expect((await json(t, 'POST', `/sandbox/payments/${open.paymentId}/complete`, { outcome: 'pay' })).status).toBe(
      409,
    );

    const paid = await pay();
    await json(t, 'POST', `/sandbox/payments/${paid.paymentId}/complete`, { outcome: 'pay' });
    const late = await call(t, '/v2/payments/cancel', { paymentId: paid.paymentId });
    expect(late.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_STATUS_INVALID' });
  });

  test('an unknown payment gets F ORDER_NOT_EXIST', async () => {
    const answer = await call(t, '/v2/payments/cancel', { paymentId: 'missing' });
    expect(answer.body.result.resultCode).toBe('ORDER_NOT_EXIST');
  });
});

describe('refunds', () => {
  const refund = (paymentId: string, refundRequestId: string, value: string, extra = {}) =>
    call(t, '/v2/payments/refund', { refundRequestId, paymentId, refundAmount: { currency: 'USD', value }, ...extra });

  test('partial and repeated refunds up to the paid amount; a retry is idempotent; beyond the amount is refused', async () => {
    const { paymentId, request } = await pay({ paymentAmount: { currency: 'USD', value: '1000' } });
    await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });

    const first = await refund(paymentId, 'rf-1', '300', { refundReason: 'one cup was cold' });
    expect(first.body).toMatchObject({
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      paymentId,
      refundAmount: { currency: 'USD', value: '300' },
    });
    const retry = await refund(paymentId, 'rf-1', '300', { refundReason: 'one cup was cold' });
    expect(retry.body.refundId).toBe(first.body.refundId);

    const changed = await refund(paymentId, 'rf-1', '301');
    expect(changed.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REPEAT_REQ_INCONSISTENT' });

    const second = await call(t, '/v2/payments/refund', {
      refundRequestId: 'rf-2',
      paymentRequestId: request.paymentRequestId,
      refundAmount: { currency: 'USD', value: '700' },
    });
    expect(second.body.result.resultStatus).toBe('S');
    expect(second.body.refundId).not.toBe(first.body.refundId);

    const tooMuch = await refund(paymentId, 'rf-3', '1');
    expect(tooMuch.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'REFUND_AMOUNT_EXCEED' });
    expect(tooMuch.body.result.resultMessage).toContain('0 USD');

    const view = await json(t, 'GET', `/sandbox/payments/${paymentId}`);
    expect(view.body.refunds.map((r: any) => r.refundAmount.value)).toEqual(['300', '700']);
  });

  test('the refundResult fault: U once (refunded, the answer lost), F once (not refunded), then normal again', async () => {
    const { paymentId } = await pay({ paymentAmount: { currency: 'USD', value: '1000' } });
    await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });
    expect((await json(t, 'POST', '/sandbox/faults', { paymentId, refundResult: 'U' })).status).toBe(200);
    const lost = await refund(paymentId, 'rf-u', '300');
    expect(lost.body.result).toMatchObject({ resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    // The same request again: the refund that was made, not a second one.
    const retried = await refund(paymentId, 'rf-u', '300');
    expect(retried.body.result.resultStatus).toBe('S');
    await json(t, 'POST', '/sandbox/faults', { refundResult: 'F', refundResultTimes: 2 });
    for (const id of ['rf-f1', 'rf-f2']) {
      expect((await refund(paymentId, id, '100')).body.result).toMatchObject({
        resultStatus: 'F',
        resultCode: 'PROCESS_FAIL',
      });
    }
    expect((await refund(paymentId, 'rf-f1', '100')).body.result.resultStatus).toBe('S');
    const view = await json(t, 'GET', `/sandbox/payments/${paymentId}`);
    expect(view.body.refunds.map((r: any) => [r.refundRequestId, r.amountText])).toEqual([
      ['rf-u', '3.00 USD'],
      ['rf-f1', '1.00 USD'],
    ]);
    expect(view.body.refundedText).toBe('4.00 USD of 10.00 USD');
    expect((await json(t, 'GET', '/sandbox/faults')).body.global).toEqual({});
    const bad = await json(t, 'POST', '/sandbox/faults', { refundResult: 'S' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('refundResult must be "U" or "F"');
  });

  test('a single refund above the paid amount is refused', async () => {
    const { paymentId } = await pay({ paymentAmount: { currency: 'USD', value: '1000' } });
    await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });
    expect((await refund(paymentId, 'rf-big', '1001')).body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
    expect((await refund(paymentId, 'rf-all', '1000')).body.result.resultStatus).toBe('S');
  });

  test.each([
    ['PROCESSING', undefined],
    ['FAIL', 'fail'],
    ['CANCELLED', 'cancel'],
  ])('a %s payment cannot be refunded (F ORDER_STATUS_INVALID)', async (_status, outcome) => {
    const { paymentId } = await pay();
    if (outcome) await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome });
    const answer = await refund(paymentId, `rf-${paymentId}`, '1');
    expect(answer.body.result).toMatchObject({ resultStatus: 'F', resultCode: 'ORDER_STATUS_INVALID' });
  });

  test('a refund in another currency gets F CURRENCY_NOT_SUPPORT; of an unknown payment F ORDER_NOT_EXIST', async () => {
    const { paymentId } = await pay();
    await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });
    const answer = await call(t, '/v2/payments/refund', {
      refundRequestId: 'rf-eur',
      paymentId,
      refundAmount: { currency: 'EUR', value: '1' },
    });
    expect(answer.body.result.resultCode).toBe('CURRENCY_NOT_SUPPORT');
    expect((await refund('missing', 'rf-missing', '1')).body.result.resultCode).toBe('ORDER_NOT_EXIST');
  });
});

describe('expiry', () => {
  test('a payment expires at paymentExpiryTime: CANCELLED, F ORDER_IS_CLOSED "The payment expired.", notified', async () => {
    let clock = new Date();
    const timed = await startTestSandbox({ now: () => clock });
    const receiver = await startReceiver(timed.home);
    try {
      const request = payRequest({
        notifyUrl: receiver.url,
        paymentExpiryTime: formatRequestTime(new Date(clock.getTime() + 60_000)),
      });
      const created = await call(timed, '/v2/payments/pay', request, { now: clock });
      const paymentId = created.body.paymentId;
      clock = new Date(clock.getTime() + 59_000);
      expect((await json(timed, 'GET', `/sandbox/payments/${paymentId}`)).body.status).toBe('PROCESSING');
      clock = new Date(clock.getTime() + 2_000);
      const view = await json(timed, 'GET', `/sandbox/payments/${paymentId}`);
      expect(view.body.status).toBe('CANCELLED');
      expect(view.body.finalResult).toEqual({
        resultStatus: 'F',
        resultCode: 'ORDER_IS_CLOSED',
        resultMessage: 'The payment expired.',
      });
      await timed.sandbox.whenIdle();
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]?.body?.paymentResult).toEqual(view.body.finalResult);
      const late = await json(timed, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toContain('expired');
    } finally {
      await receiver.close();
      await timed.close();
    }
  });

  test('a payment still PROCESSING when the sandbox stopped expires after a restart', () => {
    // The book only looks at the payments it knows to be PROCESSING: those it loads from the file count too.
    const dir = mkdtempSync(join(tmpdir(), 'minipay-sandbox-expiry-'));
    const file = join(dir, 'sandbox.db');
    let clock = new Date('2026-12-01T10:00:00.000Z');
    const book = (store: StateStore) =>
      new PaymentBook({
        now: () => clock,
        cashierUrl: (id) => `http://127.0.0.1:1/cashier/${id}`,
        formatTime: formatRequestTime,
        onFinal: () => {},
        store,
      });
    try {
      const first = StateStore.open(file);
      const created = book(first).create(
        payRequest({ paymentExpiryTime: formatRequestTime(new Date(clock.getTime() + 60_000)) }),
        'CLIENT',
      );
      first.close();
      clock = new Date(clock.getTime() + 61_000);
      const second = StateStore.open(file);
      const payment = book(second).get(created.payment.paymentId);
      expect(payment?.status).toBe('CANCELLED');
      expect(payment?.finalResult?.resultMessage).toBe('The payment expired.');
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without paymentExpiryTime a payment expires 15 minutes after creation', async () => {
    const { paymentId } = await pay();
    const view = (await json(t, 'GET', `/sandbox/payments/${paymentId}`)).body;
    expect(Date.parse(view.expiresAt) - Date.parse(view.createdAt)).toBe(15 * 60_000);
  });
});
