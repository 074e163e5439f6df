// notifyPayment end to end with a real node:http receiver that verifies with the wallet key and acknowledges
// with `signedResponse`: every outcome, retries, and every fault.
import { OUTCOMES } from '../src';
import { call, json, payRequest, startReceiver, startTestSandbox, waitFor, type TestSandbox } from './helpers';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ retrySchedule: [20, 20, 20] });
});
afterAll(() => t.close());
afterEach(async () => {
  await json(t, 'DELETE', '/sandbox/faults');
});

async function withReceiver(reply: Parameters<typeof startReceiver>[1], run: (receiver: Receiver) => Promise<void>) {
  const receiver = await startReceiver(t.home, reply);
  try {
    await run(receiver);
  } finally {
    await receiver.close();
  }
}

async function payTo(url: string, overrides = {}) {
  const request = payRequest({ notifyUrl: url, extendInfo: '{"memo":"x"}', ...overrides });
  const answer = await call(t, '/v2/payments/pay', request);
  return { request, paymentId: answer.body.paymentId as string };
}

const complete = (paymentId: string, outcome: string) =>
  json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome });
const view = async (paymentId: string) => (await json(t, 'GET', `/sandbox/payments/${paymentId}`)).body;

describe('every outcome, end to end', () => {
  test.each(OUTCOMES.map((o) => [o.outcome, o] as const))(
    '%s: resultCode, recorded status, and a signed notification the merchant verifies and acknowledges',
    async (outcome, definition) => {
      await withReceiver(undefined, async (receiver) => {
        const { request, paymentId } = await payTo(receiver.url);
        const answer = await complete(paymentId, outcome);
        expect(answer.body).toEqual({
          paymentId,
          resultCode: definition.resultCode,
          paymentStatus: definition.paymentStatus,
        });
        await t.sandbox.whenIdle();

        expect(receiver.received).toHaveLength(1);
        const notification = receiver.received[0]!;
        expect(notification.error).toBeUndefined();
        expect(notification.path).toBe('/notify/payment');
        expect(notification.headers['client-id']).toBe(t.home.clientId);
        expect(notification.body).toMatchObject({
          paymentId,
          paymentRequestId: request.paymentRequestId,
          paymentResult: definition.notification,
          paymentAmount: request.paymentAmount,
          extendInfo: '{"memo":"x"}',
        });
        expect(notification.body?.paymentCreateTime).toMatch(/\+00:00$/);
        if (definition.paymentStatus === 'SUCCESS') expect(notification.body?.paymentTime).toMatch(/\+00:00$/);
        else expect(notification.body?.paymentTime).toBeUndefined();

        const state = await view(paymentId);
        expect(state.status).toBe(definition.paymentStatus);
        expect(state.notification.state).toBe('delivered');
        expect(state.notification.attempts).toEqual([
          expect.objectContaining({
            attempt: 1,
            outcome: 'acknowledged',
            httpStatus: 200,
            ack: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
          }),
        ]);
        const inquiry = await call(t, '/v2/payments/inquiryPayment', { paymentId });
        expect(inquiry.body.paymentStatus).toBe(definition.paymentStatus);
      });
    },
  );

  test('a merchant cancel is notified as F ORDER_IS_CLOSED', async () => {
    await withReceiver(undefined, async (receiver) => {
      const { paymentId } = await payTo(receiver.url);
      await call(t, '/v2/payments/cancel', { paymentId });
      await t.sandbox.whenIdle();
      expect(receiver.received[0]?.body?.paymentResult).toMatchObject({
        resultStatus: 'F',
        resultCode: 'ORDER_IS_CLOSED',
      });
    });
  });

  test('a payment without paymentNotifyUrl sends nothing and says so', async () => {
    const answer = await call(t, '/v2/payments/pay', payRequest());
    await complete(answer.body.paymentId, 'pay');
    expect((await view(answer.body.paymentId)).notification.state).toBe('no-url');
  });
});

describe('retries', () => {
  test.each([
    ['an F answer', 'fail'],
    ['HTTP 500', 'http500'],
    ['an unsigned S answer', 'unsigned'],
  ] as const)('%s is not an acknowledgement: retried until a signed S', async (_name, mode) => {
    await withReceiver(
      (_n, index) => (index < 2 ? mode : 'ack'),
      async (receiver) => {
        const { paymentId } = await payTo(receiver.url);
        await complete(paymentId, 'pay');
        await t.sandbox.whenIdle();
        expect(receiver.received).toHaveLength(3);
        expect(new Set(receiver.received.map((n) => n.raw)).size).toBe(1);
        const state = await view(paymentId);
        expect(state.notification.state).toBe('delivered');
        expect(state.notification.attempts.map((a: any) => a.outcome)).toEqual([
          'rejected',
          'rejected',
          'acknowledged',
        ]);
        if (mode === 'unsigned') expect(state.notification.attempts[0].detail).toContain('not believed');
        if (mode === 'http500') expect(state.notification.attempts[0].httpStatus).toBe(500);
      },
    );
  });

  test('the schedule ends (1 + retrySchedule.length attempts), then a resend starts a new round', async () => {
    let accept = false;
    await withReceiver(
      () => (accept ? 'ack' : 'fail'),
      async (receiver) => {
        const { paymentId } = await payTo(receiver.url);
        await complete(paymentId, 'fail');
        await t.sandbox.whenIdle();
        expect(receiver.received).toHaveLength(4);
        expect((await view(paymentId)).notification.state).toBe('exhausted');

        accept = true;
        const resent = await json(t, 'POST', `/sandbox/payments/${paymentId}/notify`);
        expect(resent.status).toBe(200);
        await t.sandbox.whenIdle();
        const state = await view(paymentId);
        expect(state.notification.state).toBe('delivered');
        expect(state.notification.attempts.at(-1)).toMatchObject({ attempt: 5, round: 2, outcome: 'acknowledged' });
      },
    );
  });

  test('an unreachable notify URL is logged as an error and retried', async () => {
    const { paymentId } = await payTo('http://127.0.0.1:9/notify');
    await complete(paymentId, 'pay');
    await t.sandbox.whenIdle();
    const state = await view(paymentId);
    expect(state.notification.state).toBe('exhausted');
    expect(state.notification.attempts).toHaveLength(4);
    expect(state.notification.attempts[0]).toMatchObject({ outcome: 'error' });
    expect(state.notification.attempts[0].detail).toMatch(/no answer/);
  });

  test('resending a payment without a final status is refused', async () => {
    const { paymentId } = await payTo('http://127.0.0.1:9/notify');
    expect((await json(t, 'POST', `/sandbox/payments/${paymentId}/notify`)).status).toBe(409);
  });

  test('each attempt is logged as one line with its HTTP status and outcome', async () => {
    await withReceiver(undefined, async (receiver) => {
      const { paymentId } = await payTo(receiver.url);
      t.lines.length = 0;
      await complete(paymentId, 'pay');
      await t.sandbox.whenIdle();
      expect(t.lines.filter((line) => line.startsWith(`notify ${paymentId}`))).toEqual([
        expect.stringMatching(/attempt 1 \(round 1\): HTTP 200 acknowledged - signature verified: S SUCCESS \d+ms$/),
      ]);
    });
  });
});

describe('faults', () => {
  test('delay: the first attempt waits delaySeconds (by the wallet clock), then is delivered', async () => {
    await withReceiver(undefined, async (receiver) => {
      const { paymentId } = await payTo(receiver.url);
      expect((await json(t, 'POST', '/sandbox/faults', { paymentId, delaySeconds: 0.3 })).body).toEqual({
        paymentId,
        faults: { delaySeconds: 0.3 },
      });
      await complete(paymentId, 'pay');
      await t.sandbox.whenIdle();
      expect(receiver.received).toHaveLength(1);
      const state = await view(paymentId);
      expect(state.notification.state).toBe('delivered');
      expect(Date.parse(state.notification.attempts[0].at) - Date.parse(state.finishedAt)).toBeGreaterThanOrEqual(300);
    });
  });

  test('duplicate x3: the same signed notification arrives three times, each copy logged', async () => {
    await withReceiver(undefined, async (receiver) => {
      const { paymentId } = await payTo(receiver.url);
      await json(t, 'POST', '/sandbox/faults', { paymentId, duplicate: 3 });
      await complete(paymentId, 'pay');
      await t.sandbox.whenIdle();
      expect(receiver.received).toHaveLength(3);
      expect(receiver.received.every((n) => n.body?.paymentId === paymentId && n.error === undefined)).toBe(true);
      expect(new Set(receiver.received.map((n) => n.raw)).size).toBe(1);
      const state = await view(paymentId);
      expect(state.notification.attempts.map((a: any) => [a.attempt, a.copy, a.outcome])).toEqual([
        [1, 1, 'acknowledged'],
        [1, 2, 'acknowledged'],
        [1, 3, 'acknowledged'],
      ]);
    });
  });

  test('drop the first 2: attempts 1 and 2 are not sent (logged as dropped), attempt 3 is delivered', async () => {
    await withReceiver(undefined, async (receiver) => {
      const { paymentId } = await payTo(receiver.url);
      await json(t, 'POST', '/sandbox/faults', { paymentId, dropFirst: 2 });
      await complete(paymentId, 'pay');
      await t.sandbox.whenIdle();
      expect(receiver.received).toHaveLength(1);
      const state = await view(paymentId);
      expect(state.notification.attempts.map((a: any) => a.outcome)).toEqual(['dropped', 'dropped', 'acknowledged']);
      expect(state.notification.attempts[0].httpStatus).toBeUndefined();
    });
  });

  test('never send: nothing arrives, even on resend, until the fault is cleared', async () => {
    await withReceiver(undefined, async (receiver) => {
      const { paymentId } = await payTo(receiver.url);
      await json(t, 'POST', '/sandbox/faults', { paymentId, neverSend: true });
      await complete(paymentId, 'pay');
      await t.sandbox.whenIdle();
      await json(t, 'POST', `/sandbox/payments/${paymentId}/notify`);
      await t.sandbox.whenIdle();
      expect(receiver.received).toHaveLength(0);
      const state = await view(paymentId);
      expect(state.notification.state).toBe('suppressed');
      expect(state.notification.attempts.map((a: any) => a.outcome)).toEqual(['suppressed', 'suppressed']);

      await json(t, 'DELETE', `/sandbox/faults?paymentId=${paymentId}`);
      await json(t, 'POST', `/sandbox/payments/${paymentId}/notify`);
      await t.sandbox.whenIdle();
      expect(receiver.received).toHaveLength(1);
    });
  });

  test('bad signature: the merchant rejects every attempt, the sandbox retries; once cleared a resend is accepted', async () => {
    await withReceiver(undefined, async (receiver) => {
      const { paymentId } = await payTo(receiver.url);
      await json(t, 'POST', '/sandbox/faults', { paymentId, badSignature: true });
      await complete(paymentId, 'pay');
      await t.sandbox.whenIdle();
      expect(receiver.received).toHaveLength(4);
      expect(receiver.received.every((n) => n.body === undefined && /signature/.test(n.error ?? ''))).toBe(true);
      const state = await view(paymentId);
      expect(state.notification.state).toBe('exhausted');
      expect(state.notification.attempts.every((a: any) => a.badSignature === true && a.outcome === 'rejected')).toBe(
        true,
      );
      expect(state.notification.attempts[0].ack).toMatchObject({ resultStatus: 'F' });

      await json(t, 'DELETE', '/sandbox/faults');
      await json(t, 'POST', `/sandbox/payments/${paymentId}/notify`);
      await t.sandbox.whenIdle();
      expect(receiver.received.at(-1)?.body?.paymentId).toBe(paymentId);
      expect((await view(paymentId)).notification.state).toBe('delivered');
    });
  });

  test('send before the cashier answers: the merchant has the notification before complete returns', async () => {
    let answered = false;
    const seenBeforeAnswer: boolean[] = [];
    await withReceiver(
      () => {
        seenBeforeAnswer.push(!answered);
        return 'ack';
      },
      async (receiver) => {
        const { paymentId } = await payTo(receiver.url);
        await json(t, 'POST', '/sandbox/faults', { paymentId, sendBeforeCashier: true });
        const answer = await complete(paymentId, 'pay');
        answered = true;
        expect(answer.body.resultCode).toBe('9000');
        expect(receiver.received).toHaveLength(1);
        expect(seenBeforeAnswer).toEqual([true]);
        expect((await view(paymentId)).notification.state).toBe('delivered');
      },
    );
  });

  test.each([
    ['with sendBeforeCashier, complete answers only after the merchant acknowledged', true],
    ['without it (negative control), complete answers while the merchant still holds the notification', false],
  ])('a merchant that holds its acknowledgement: %s', async (_name, sendBeforeCashier) => {
    let release!: () => void;
    const held = new Promise<'ack'>((resolve) => (release = () => resolve('ack')));
    await withReceiver(
      () => held,
      async (receiver) => {
        const { paymentId } = await payTo(receiver.url);
        if (sendBeforeCashier) await json(t, 'POST', '/sandbox/faults', { paymentId, sendBeforeCashier: true });
        let answered = false;
        const answer = complete(paymentId, 'pay').then((result) => {
          answered = true;
          return result;
        });
        await waitFor(() => receiver.received.length === 1);
        if (sendBeforeCashier) {
          // The notification is at the merchant, unanswered: the cashier must still be waiting.
          await new Promise((resolve) => setTimeout(resolve, 100));
          expect(answered).toBe(false);
          release();
          expect((await answer).body.resultCode).toBe('9000');
          expect((await view(paymentId)).notification.state).toBe('delivered');
        } else {
          expect((await answer).body.resultCode).toBe('9000');
          expect((await view(paymentId)).notification.state).toBe('sending');
          release();
          await t.sandbox.whenIdle();
        }
      },
    );
  });

  test("global faults apply to every payment, including later ones; a payment's own faults win field by field", async () => {
    await withReceiver(undefined, async (receiver) => {
      expect((await json(t, 'POST', '/sandbox/faults', { duplicate: 2 })).body).toEqual({ faults: { duplicate: 2 } });
      const a = await payTo(receiver.url);
      const b = await payTo(receiver.url);
      await json(t, 'POST', '/sandbox/faults', { paymentId: b.paymentId, duplicate: 1, dropFirst: 1 });
      await complete(a.paymentId, 'pay');
      await complete(b.paymentId, 'pay');
      await t.sandbox.whenIdle();
      expect(receiver.received.filter((n) => n.body?.paymentId === a.paymentId)).toHaveLength(2);
      expect((await view(b.paymentId)).notification.attempts.map((x: any) => x.outcome)).toEqual([
        'dropped',
        'acknowledged',
      ]);
      const faults = await json(t, 'GET', '/sandbox/faults');
      expect(faults.body).toEqual({
        global: { duplicate: 2 },
        payments: { [b.paymentId]: { duplicate: 1, dropFirst: 1 } },
      });
    });
  });

  test.each([
    [{ duplicate: 0 }, 'duplicate'],
    [{ dropFirst: -1 }, 'dropFirst'],
    [{ delaySeconds: 'soon' }, 'delaySeconds'],
    [{ neverSend: 'yes' }, 'neverSend'],
    [{ explode: true }, 'explode'],
  ])('an invalid fault %j is refused with 400 naming %s', async (body, field) => {
    const answer = await json(t, 'POST', '/sandbox/faults', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain(field);
  });

  test('faults for an unknown payment are refused with 404', async () => {
    expect((await json(t, 'POST', '/sandbox/faults', { paymentId: 'missing', neverSend: true })).status).toBe(404);
  });
});
