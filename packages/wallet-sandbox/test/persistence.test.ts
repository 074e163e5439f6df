// The sandbox keeps its state in the dev home: the built CLI as a real child process on a temp home, killed with
// SIGKILL and started again on the same home, still has the payment, the auth code, the token and the fault, and sends
// the notification retry it had scheduled once its time comes. With --in-memory the same restart loses all of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevHome, type DevHome } from '@minipay/dev-home';
import { startNodeProcess, type NodeProcess } from '@minipay/testing';
import type { RunningSandbox } from '../src';
import { call, json, payRequest, startReceiver, waitFor, type TestSandbox } from './helpers';

const CLI = join(__dirname, '..', 'bin', 'minipay-sandbox.cjs');
/** The retry after the refused first attempt: long enough to kill and restart the sandbox before it is due. */
const RETRY_MS = 4000;

let home: string;
let devHome: DevHome;
const running: NodeProcess[] = [];
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'minipay-sandbox-persist-'));
  devHome = await ensureDevHome(home);
});
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

async function startCli(extra: string[] = []): Promise<TestSandbox> {
  const child = await startNodeProcess(CLI, {
    args: ['--port', '0', '--home', home, '--retry-schedule', String(RETRY_MS), ...extra],
    ready: /^\s+dashboard\s+(http:\/\/\S+)\/$/,
  });
  running.push(child);
  const url = child.ready[1] as string;
  const sandbox = { url, clientId: devHome.clientId } as RunningSandbox;
  return { sandbox, home: devHome, lines: [], close: async () => undefined };
}

/** SIGKILL to the sandbox started last: no close, no flush, nothing but what was already written. */
async function killLast(): Promise<void> {
  const child = running.pop() as NodeProcess;
  expect(await child.stop('SIGKILL')).toBeNull();
  expect(child.child.signalCode).toBe('SIGKILL');
}

/** Everything the test puts into the sandbox before the kill, and the answers that reported it. */
async function fillSandbox(t: TestSandbox, notifyUrl: string) {
  const request = payRequest({ notifyUrl });
  const created = await call(t, '/v2/payments/pay', request);
  expect(created.body.result.resultStatus).toBe('A');
  const paymentId = created.body.paymentId as string;
  const kept = await json(t, 'POST', '/sandbox/auth-codes', { customerId: 'alice' });
  const exchanged = await json(t, 'POST', '/sandbox/auth-codes', { customerId: 'bob' });
  const grant = await call(t, '/v2/authorizations/applyToken', {
    grantType: 'AUTHORIZATION_CODE',
    authCode: exchanged.body.authCode,
  });
  expect(grant.body.result.resultStatus).toBe('S');
  expect((await json(t, 'POST', '/sandbox/faults', { paymentId, duplicate: 2 })).status).toBe(200);
  expect((await json(t, 'POST', '/sandbox/faults', { delaySeconds: 0.1 })).status).toBe(200);
  const completed = await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });
  expect(completed.body.paymentStatus).toBe('SUCCESS');
  const refundRequest = { refundRequestId: 'rf-1', paymentId, refundAmount: { currency: 'USD', value: '300' } };
  const refunded = await call(t, '/v2/payments/refund', refundRequest);
  expect(refunded.body.result.resultStatus).toBe('S');
  return {
    refundRequest,
    refundId: refunded.body.refundId as string,
    request,
    paymentId,
    authCode: kept.body.authCode as string,
    refreshToken: grant.body.refreshToken as string,
  };
}

test('after kill -9 and a restart on the same home: payment, auth code, token, faults kept; the retry arrives', async () => {
  // The merchant stub refuses every copy of the first attempt and acknowledges everything after.
  let firstAttempt = true;
  const receiver = await startReceiver(devHome, () => (firstAttempt ? 'fail' : 'ack'));
  try {
    const t = await startCli();
    const { request, paymentId, authCode, refreshToken, refundRequest, refundId } = await fillSandbox(t, receiver.url);
    const scheduled = await waitFor(async () => {
      const view = (await json(t, 'GET', `/sandbox/payments/${paymentId}`)).body;
      return view.notification.state === 'scheduled' && view.notification.attempts.length === 2 && view;
    });
    expect(scheduled.notification.attempts.map((a: { outcome: string }) => a.outcome)).toEqual([
      'rejected',
      'rejected',
    ]);
    expect(receiver.received).toHaveLength(2); // duplicate: 2
    firstAttempt = false;
    const dueAt = Date.parse(scheduled.notification.nextAttemptAt);
    await killLast();

    const restarted = await startCli();
    expect(Date.now()).toBeLessThan(dueAt); // the retry is still ahead: it must come from the restarted sandbox
    const state = (await json(restarted, 'GET', '/sandbox/payments')).body;
    expect(state.inMemory).toBe(false);
    expect(state.stateFile).toBe(join(devHome.home, 'sandbox.db'));
    expect(state.faults).toEqual({ global: { delaySeconds: 0.1 }, payments: { [paymentId]: { duplicate: 2 } } });
    const payment = (await json(restarted, 'GET', `/sandbox/payments/${paymentId}`)).body;
    expect(payment).toMatchObject({
      status: 'SUCCESS',
      outcome: 'pay',
      notification: { state: 'scheduled', nextAttemptAt: scheduled.notification.nextAttemptAt },
    });
    const inquiry = await call(restarted, '/v2/payments/inquiryPayment', { paymentId });
    expect(inquiry.body).toMatchObject({ paymentId, paymentStatus: 'SUCCESS' });
    // The merchant's retry of the same pay is the same payment, not a new paymentId (WALLET_INCONSISTENT in #17).
    const repeated = await call(restarted, '/v2/payments/pay', request);
    expect(repeated.body.paymentId).toBe(paymentId);
    // The refund is kept: listed, its retry answered with the same refundId, and the rest of the amount still counted.
    expect(payment.refunds).toEqual([expect.objectContaining({ refundId, refundRequestId: 'rf-1' })]);
    expect((await call(restarted, '/v2/payments/refund', refundRequest)).body.refundId).toBe(refundId);
    const tooMuch = await call(restarted, '/v2/payments/refund', {
      ...refundRequest,
      refundRequestId: 'rf-2',
      refundAmount: { currency: 'USD', value: '1000' },
    });
    expect(tooMuch.body.result.resultCode).toBe('REFUND_AMOUNT_EXCEED');
    const page = await fetch(`${restarted.sandbox.url}/`);
    expect(await page.text()).toContain('State is kept on disk');

    const code = await call(restarted, '/v2/authorizations/applyToken', {
      grantType: 'AUTHORIZATION_CODE',
      authCode,
    });
    expect(code.body).toMatchObject({ result: { resultStatus: 'S' }, customerId: 'alice' });
    const refreshed = await call(restarted, '/v2/authorizations/applyToken', {
      grantType: 'REFRESH_TOKEN',
      refreshToken,
    });
    expect(refreshed.body).toMatchObject({ result: { resultStatus: 'S' }, customerId: 'bob' });

    // The retry: attempt 2 (two copies, the fault kept), at its time and not before, acknowledged.
    const delivered = await waitFor(async () => {
      const view = (await json(restarted, 'GET', `/sandbox/payments/${paymentId}`)).body;
      return view.notification.state === 'delivered' && view;
    }, 15_000);
    expect(
      delivered.notification.attempts.map((a: { attempt: number; outcome: string }) => [a.attempt, a.outcome]),
    ).toEqual([
      [1, 'rejected'],
      [1, 'rejected'],
      [2, 'acknowledged'],
      [2, 'acknowledged'],
    ]);
    expect(receiver.received).toHaveLength(4);
    expect(Date.parse(delivered.notification.attempts[2].at)).toBeGreaterThanOrEqual(dueAt);
    expect(receiver.received.every((notification) => notification.body?.paymentId === paymentId)).toBe(true);

    // What the restarted sandbox did (the delivery) is kept too.
    await killLast();
    const third = await startCli();
    const again = (await json(third, 'GET', `/sandbox/payments/${paymentId}`)).body;
    expect(again.notification.state).toBe('delivered');
    expect(again.notification.attempts).toHaveLength(4);
  } finally {
    await receiver.close();
  }
}, 60_000);

test('a refund fault spent before kill -9 stays spent after the restart; one not yet spent is still there', async () => {
  const receiver = await startReceiver(devHome, () => 'ack');
  try {
    const t = await startCli();
    const created = await call(t, '/v2/payments/pay', payRequest({ notifyUrl: receiver.url }));
    const paymentId = created.body.paymentId as string;
    await json(t, 'POST', `/sandbox/payments/${paymentId}/complete`, { outcome: 'pay' });
    // Two refunds in a row answer F; the first is used before the kill.
    expect(
      (await json(t, 'POST', '/sandbox/faults', { paymentId, refundResult: 'F', refundResultTimes: 2 })).status,
    ).toBe(200);
    const refund = (id: string) => ({
      refundRequestId: id,
      paymentId,
      refundAmount: { currency: 'USD', value: '100' },
    });
    expect((await call(t, '/v2/payments/refund', refund('rf-a'))).body.result.resultStatus).toBe('F');
    await killLast();

    const restarted = await startCli();
    // The one F left is still there, and only one: the count used before the kill was written with the refund.
    expect((await call(restarted, '/v2/payments/refund', refund('rf-b'))).body.result.resultStatus).toBe('F');
    expect((await call(restarted, '/v2/payments/refund', refund('rf-c'))).body.result.resultStatus).toBe('S');
    await killLast();
    const again = await startCli();
    expect((await call(again, '/v2/payments/refund', refund('rf-d'))).body.result.resultStatus).toBe('S');
  } finally {
    await receiver.close();
  }
});

test('with --in-memory the same kill -9 and restart loses every payment, auth code, token and fault', async () => {
  const receiver = await startReceiver(devHome, () => 'fail');
  try {
    const t = await startCli(['--in-memory']);
    const { paymentId, authCode, refreshToken } = await fillSandbox(t, receiver.url);
    await killLast();

    const restarted = await startCli(['--in-memory']);
    const state = (await json(restarted, 'GET', '/sandbox/payments')).body;
    expect(state).toMatchObject({
      inMemory: true,
      stateFile: null,
      payments: [],
      faults: { global: {}, payments: {} },
    });
    expect((await json(restarted, 'GET', `/sandbox/payments/${paymentId}`)).status).toBe(404);
    const code = await call(restarted, '/v2/authorizations/applyToken', { grantType: 'AUTHORIZATION_CODE', authCode });
    expect(code.body.result.resultCode).toBe('INVALID_CODE');
    const refreshed = await call(restarted, '/v2/authorizations/applyToken', {
      grantType: 'REFRESH_TOKEN',
      refreshToken,
    });
    expect(refreshed.body.result.resultCode).toBe('INVALID_REFRESH_TOKEN');
    expect(await (await fetch(`${restarted.sandbox.url}/`)).text()).toContain('State is in memory');
  } finally {
    await receiver.close();
  }
}, 60_000);

test('a second sandbox on the same state file is refused with a message naming it', async () => {
  await startCli();
  await expect(startCli()).rejects.toThrow(/sandbox\.db is in use by another sandbox/);
}, 30_000);
