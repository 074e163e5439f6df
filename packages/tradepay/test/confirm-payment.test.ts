// AbortController comes from Node here: these tests use the standard one, as a polyfilled page would.
/// <reference types="node" />
import {
  confirmPayment,
  DEFAULT_SCHEDULE,
  TradePayError,
  type OrderLike,
  type PaymentStatus,
  type TradePayOutcome,
} from '../src';
import { settled } from './helpers';

interface Order extends OrderLike {
  id: string;
  status: 'CREATED' | 'PAYING' | 'PAID' | 'FAILED' | 'CANCELLED' | 'EXPIRED';
}

const order = (status: Order['status']): Order => ({ id: 'O1', status });
const PAID_HINT: TradePayOutcome = { status: 'paid', resultCode: '9000' };

/** A check() that answers with these steps in turn (an Error step rejects), repeating the last one. */
function scripted(...steps: (Order['status'] | Error)[]) {
  let call = 0;
  return jest.fn(async (): Promise<Order> => {
    const step = steps[Math.min(call++, steps.length - 1)]!;
    if (step instanceof Error) throw step;
    return order(step);
  });
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('confirmPayment', () => {
  it.each<[Order['status'], PaymentStatus]>([
    ['PAID', 'paid'],
    ['FAILED', 'failed'],
    ['CANCELLED', 'cancelled'],
    ['EXPIRED', 'cancelled'],
  ])('resolves a final order %s on the first check as %s, with the order and the outcome', async (status, expected) => {
    const check = scripted(status);
    const result = confirmPayment(PAID_HINT, { check });
    await jest.advanceTimersByTimeAsync(0);
    await expect(result).resolves.toEqual({
      status: expected,
      order: order(status),
      outcome: PAID_HINT,
      checks: 1,
      error: undefined,
    });
    expect(check).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps polling CREATED and PAYING along the default schedule until the order is final', async () => {
    const check = scripted('CREATED', 'PAYING', 'PAYING', 'PAID');
    const result = confirmPayment(PAID_HINT, { check });
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(check).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1999);
    expect(check).toHaveBeenCalledTimes(2);
    expect(await settled(result)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(check).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(3000);
    await expect(result).resolves.toMatchObject({ status: 'paid', order: order('PAID'), checks: 4 });
    expect(check).toHaveBeenCalledTimes(4);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves pending with the last order after exactly 15 checks over 60 s when the order never becomes final', async () => {
    const check = scripted('CREATED', 'PAYING');
    const result = confirmPayment(PAID_HINT, { check });
    await jest.advanceTimersByTimeAsync(59_999);
    expect(await settled(result)).toBe(false);
    expect(check).toHaveBeenCalledTimes(14);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual({
      status: 'pending',
      order: order('PAYING'),
      outcome: PAID_HINT,
      checks: 15,
      error: undefined,
    });
    await jest.advanceTimersByTimeAsync(600_000);
    expect(check).toHaveBeenCalledTimes(15);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('documents the default schedule: from 0 backing off to every 5 s, 60 s in all', () => {
    expect(DEFAULT_SCHEDULE[0]).toBe(0);
    expect(DEFAULT_SCHEDULE.reduce((sum, ms) => sum + ms, 0)).toBe(60_000);
    expect(DEFAULT_SCHEDULE.slice(-5)).toEqual([5000, 5000, 5000, 5000, 5000]);
    expect([...DEFAULT_SCHEDULE]).toEqual([...DEFAULT_SCHEDULE].sort((a, b) => a - b));
    expect(Object.isFrozen(DEFAULT_SCHEDULE)).toBe(true);
  });

  it('checks once per entry of a custom schedule, waiting each delay first', async () => {
    const check = scripted('PAYING');
    const result = confirmPayment(PAID_HINT, { check, schedule: [50, 100, 200] });
    await jest.advanceTimersByTimeAsync(49);
    expect(check).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(check).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(300);
    await expect(result).resolves.toMatchObject({ status: 'pending', checks: 3 });
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('treats a rejecting or throwing check as "try again", then reports the server answer', async () => {
    let call = 0;
    const check = jest.fn((): Promise<Order> | Order => {
      call++;
      if (call === 1) return Promise.reject(new Error('502 Bad Gateway'));
      if (call === 2) throw new Error('my.request failed');
      return order('PAID');
    });
    const result = confirmPayment(PAID_HINT, { check, schedule: [0, 10, 10, 10] });
    await jest.advanceTimersByTimeAsync(20);
    await expect(result).resolves.toEqual({
      status: 'paid',
      order: order('PAID'),
      outcome: PAID_HINT,
      checks: 3,
      error: undefined,
    });
  });

  it('resolves pending with no order and the last error when every check fails', async () => {
    const last = new Error('offline 3');
    const check = scripted(new Error('offline 1'), new Error('offline 2'), last);
    const result = confirmPayment(PAID_HINT, { check, schedule: [0, 10, 10] });
    await jest.advanceTimersByTimeAsync(20);
    await expect(result).resolves.toEqual({
      status: 'pending',
      order: undefined,
      outcome: PAID_HINT,
      checks: 3,
      error: last,
    });
  });

  it('keeps the last order seen when a later check fails', async () => {
    const failure = new Error('timeout');
    const check = scripted('PAYING', failure);
    const result = confirmPayment(PAID_HINT, { check, schedule: [0, 10] });
    await jest.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toMatchObject({ status: 'pending', order: order('PAYING'), error: failure });
  });

  it('counts an answer that is not an order as a failed check (INVALID_ORDER) and tries again', async () => {
    const answers: unknown[] = [{ error: { code: 'UNAUTHENTICATED' } }, null, order('FAILED')];
    const check = jest.fn(async () => answers.shift() as Order);
    const result = confirmPayment(PAID_HINT, { check, schedule: [0, 10] });
    await jest.advanceTimersByTimeAsync(10);
    const pending = await result;
    expect(pending).toMatchObject({ status: 'pending', order: undefined, checks: 2 });
    expect(pending.error).toBeInstanceOf(TradePayError);
    expect(pending.error).toMatchObject({
      code: 'INVALID_ORDER',
      message: expect.stringMatching(/string status, got null/),
    });
  });

  it('reports failed when the client said 9000 but the server says FAILED: the server is the truth', async () => {
    const result = confirmPayment({ status: 'paid', resultCode: '9000' }, { check: scripted('FAILED') });
    await jest.advanceTimersByTimeAsync(0);
    await expect(result).resolves.toMatchObject({ status: 'failed', outcome: { status: 'paid', resultCode: '9000' } });
  });

  it('reports paid when the client said 6004 (unknown) and the server says PAID', async () => {
    const result = confirmPayment({ status: 'unknown', resultCode: '6004' }, { check: scripted('PAYING', 'PAID') });
    await jest.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toMatchObject({ status: 'paid', checks: 2 });
  });

  it('never reports paid from the client code alone: 9000 with a server stuck in PAYING is pending', async () => {
    const result = confirmPayment(PAID_HINT, { check: scripted('PAYING'), schedule: [0] });
    await jest.advanceTimersByTimeAsync(0);
    await expect(result).resolves.toMatchObject({ status: 'pending' });
  });

  it.each(['constructor', 'toString', '__proto__', 'paid', 'PAID '])(
    'keeps polling the order status %j, which is not final',
    async (status) => {
      const check = jest.fn(async () => ({ status }));
      const result = confirmPayment(PAID_HINT, { check, schedule: [0, 10] });
      await jest.advanceTimersByTimeAsync(10);
      await expect(result).resolves.toMatchObject({ status: 'pending', order: { status }, checks: 2 });
    },
  );

  it('describes an unprintable answer (a cycle) in its INVALID_ORDER error instead of failing', async () => {
    const answer: Record<string, unknown> = { status: 200 };
    answer.self = answer;
    const result = confirmPayment(PAID_HINT, { check: async () => answer as never, schedule: [0] });
    await jest.advanceTimersByTimeAsync(0);
    await expect(result).resolves.toMatchObject({
      status: 'pending',
      error: { code: 'INVALID_ORDER', message: expect.stringMatching(/got \[object Object\]$/) },
    });
  });

  it('shows a JSON string answered by check() as such, so an unparsed body is easy to spot', async () => {
    const result = confirmPayment(PAID_HINT, { check: async () => '{"status":"PAID"}' as never, schedule: [0] });
    await jest.advanceTimersByTimeAsync(0);
    await expect(result).resolves.toMatchObject({
      status: 'pending',
      error: { code: 'INVALID_ORDER', message: expect.stringContaining('got "{\\"status\\":\\"PAID\\"}"') },
    });
  });

  it('keeps polling an order status it does not know', async () => {
    const check = jest.fn(async () => ({ status: 'REFUNDING' }));
    const result = confirmPayment(PAID_HINT, { check, schedule: [0, 10] });
    await jest.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toMatchObject({ status: 'pending', order: { status: 'REFUNDING' }, checks: 2 });
  });
});

describe('confirmPayment with an abort signal', () => {
  it('rejects with ABORTED without checking when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('page unloaded');
    controller.abort(reason);
    const check = scripted('PAID');
    const error = await confirmPayment(PAID_HINT, { check, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TradePayError);
    expect(error).toMatchObject({ name: 'TradePayError', code: 'ABORTED', cause: reason });
    expect(check).not.toHaveBeenCalled();
  });

  it('rejects with ABORTED while waiting between checks, and checks no more', async () => {
    const controller = new AbortController();
    const check = scripted('PAYING');
    const result = confirmPayment(PAID_HINT, { check, signal: controller.signal });
    const outcome = result.catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(1500);
    expect(check).toHaveBeenCalledTimes(2);
    controller.abort();
    expect(await outcome).toMatchObject({ code: 'ABORTED' });
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('rejects with ABORTED during a check and ignores that check’s late answer', async () => {
    const controller = new AbortController();
    let answer!: (o: Order) => void;
    const check = jest.fn(() => new Promise<Order>((resolve) => (answer = resolve)));
    const result = confirmPayment(PAID_HINT, { check, signal: controller.signal }).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(0);
    controller.abort();
    answer(order('PAID'));
    expect(await result).toMatchObject({ code: 'ABORTED' });
  });

  it('stops listening to the signal once it has resolved', async () => {
    const listeners = new Set<() => void>();
    const signal = {
      aborted: false,
      addEventListener: (_type: 'abort', listener: () => void) => void listeners.add(listener),
      removeEventListener: (_type: 'abort', listener: () => void) => void listeners.delete(listener),
    };
    const result = confirmPayment(PAID_HINT, { check: scripted('PAID'), signal });
    expect(listeners.size).toBe(1);
    await jest.advanceTimersByTimeAsync(0);
    await expect(result).resolves.toMatchObject({ status: 'paid' });
    expect(listeners.size).toBe(0);
  });
});

describe('confirmPayment options', () => {
  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /check must be a function/],
    ['a check that is not a function', { check: 'GET /api/orders/1' }, /check must be a function/],
    ['an empty schedule', { check: () => order('PAID'), schedule: [] }, /schedule must be a non-empty array/],
    [
      'a negative delay',
      { check: () => order('PAID'), schedule: [0, -5] },
      /schedule must be a non-empty array of delays/,
    ],
    [
      'a schedule that is not an array',
      { check: () => order('PAID'), schedule: 5000 },
      /schedule must be a non-empty array/,
    ],
  ])('rejects %s with INVALID_REQUEST', async (_name, options, message) => {
    await expect(confirmPayment(PAID_HINT, options as never)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(message),
    });
  });
});
