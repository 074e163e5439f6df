import { TradePayError, tradePay, type TradePayJsapiParams, type TradePayRequest, type TradePayStatus } from '../src';
import { answering, fakeMy, setGlobalMy, settled } from './helpers';

const URL = 'https://wallet.example/cashier/P1';

afterEach(() => {
  setGlobalMy(undefined);
  jest.useRealTimers();
});

// docs/PROTOCOL.md §3, every row, as the wallet sends it (string) and as some hosts send it (number).
const MAPPING: [code: string, status: TradePayStatus][] = [
  ['9000', 'paid'],
  ['8000', 'processing'],
  ['4000', 'failed'],
  ['6001', 'cancelled'],
  ['99', 'cancelled'],
  ['6002', 'network-error'],
  ['6004', 'unknown'],
  ['4', 'not-permitted'],
  ['1234', 'unknown'],
  ['0', 'unknown'],
  ['-1', 'unknown'],
];

describe('tradePay result codes (PROTOCOL §3)', () => {
  it.each(MAPPING)('maps resultCode "%s" to %s and keeps the raw code', async (code, status) => {
    await expect(tradePay({ paymentUrl: URL }, { my: answering(code) })).resolves.toEqual({ status, resultCode: code });
  });

  it.each(MAPPING)('maps numeric resultCode %s like the string, keeping it as a string', async (code, status) => {
    await expect(tradePay({ paymentUrl: URL }, { my: answering(Number(code)) })).resolves.toEqual({
      status,
      resultCode: code,
    });
  });

  it.each(['', 'constructor', '__proto__', 'toString', ' 9000', '9000.0'])(
    'maps the unknown code %j to unknown rather than to a table entry',
    async (code) => {
      await expect(tradePay({ paymentUrl: URL }, { my: answering(code) })).resolves.toEqual({
        status: 'unknown',
        resultCode: code,
      });
    },
  );

  it('maps a success callback without a resultCode to unknown with an empty code', async () => {
    const my = fakeMy((p) => (p.success as (r: unknown) => void)(undefined));
    await expect(tradePay({ paymentUrl: URL }, { my })).resolves.toEqual({ status: 'unknown', resultCode: '' });
  });

  it('resolves when the wallet answers later, asynchronously', async () => {
    const my = fakeMy();
    const pending = tradePay({ paymentUrl: URL }, { my });
    expect(await settled(pending)).toBe(false);
    my.last().success!({ resultCode: '6001' });
    await expect(pending).resolves.toEqual({ status: 'cancelled', resultCode: '6001' });
  });
});

describe('tradePay inputs', () => {
  it.each<[TradePayRequest, string]>([
    [{ paymentUrl: URL }, 'paymentUrl'],
    [{ tradeNO: '2024010122001' }, 'tradeNO'],
    [{ orderStr: 'app_id=1&biz_content=x' }, 'orderStr'],
  ])('passes %j to my.tradePay as %s only, with success and fail callbacks', async (request, field) => {
    const my = answering('9000');
    await tradePay(request, { my });
    const params = my.last();
    expect(Object.keys(params).sort()).toEqual([field, 'fail', 'success'].sort());
    expect((params as Record<string, unknown>)[field]).toBe(Object.values(request)[0]);
  });

  it('treats a field set to undefined as absent', async () => {
    const my = answering('9000');
    await expect(tradePay({ paymentUrl: URL, tradeNO: undefined }, { my })).resolves.toMatchObject({ status: 'paid' });
    expect(my.last().paymentUrl).toBe(URL);
  });

  it.each<[string, unknown, RegExp]>([
    ['an empty paymentUrl', { paymentUrl: '' }, /paymentUrl must be a non-empty string, got ""/],
    ['a blank tradeNO', { tradeNO: '   ' }, /tradeNO must be a non-empty string/],
    ['a numeric orderStr', { orderStr: 42 }, /orderStr must be a non-empty string, got 42/],
    ['a null paymentUrl', { paymentUrl: null }, /paymentUrl must be a non-empty string, got null/],
    [
      'two inputs',
      { paymentUrl: URL, tradeNO: 'T1' },
      /exactly one of paymentUrl, tradeNO, orderStr.*got paymentUrl and tradeNO/,
    ],
    ['all three inputs', { paymentUrl: URL, tradeNO: 'T1', orderStr: 'o' }, /got paymentUrl and tradeNO and orderStr/],
    ['no input', {}, /exactly one of/],
    ['a misspelt tradeNo', { tradeNo: 'T1' }, /got tradeNo$/],
    [
      'callbacks',
      { paymentUrl: URL, success: () => undefined },
      /no callbacks: await the promise.*got paymentUrl and success/,
    ],
    ['null', null, /got null/],
    ['undefined', undefined, /got undefined/],
    ['a bare string', URL, /exactly one of/],
    ['a number', 9000, /got 9000/],
    [
      'a paymentUrl that cannot be printed as JSON',
      { paymentUrl: BigInt(1) },
      /paymentUrl must be a non-empty string, got 1$/,
    ],
    ['an empty object without a prototype', Object.create(null), /got \{\}$/],
  ])('rejects %s with INVALID_REQUEST before calling the JSAPI', async (_name, request, message) => {
    const my = answering('9000');
    const error = await tradePay(request as TradePayRequest, { my }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TradePayError);
    expect(error).toMatchObject({ name: 'TradePayError', code: 'INVALID_REQUEST' });
    expect((error as Error).message).toMatch(message);
    expect(my.tradePay).not.toHaveBeenCalled();
  });

  it('checks the request before the runtime, so a bad request is INVALID_REQUEST even outside a mini program', async () => {
    await expect(tradePay({ paymentUrl: '' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it.each([0, -1, NaN, Infinity, '1000', null])('rejects timeoutMs %p with INVALID_REQUEST', async (timeoutMs) => {
    const my = answering('9000');
    await expect(tradePay({ paymentUrl: URL }, { my, timeoutMs: timeoutMs as number })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/timeoutMs must be a positive number/),
    });
    expect(my.tradePay).not.toHaveBeenCalled();
  });
});

describe('tradePay runtime', () => {
  it('uses the global my, looked up at call time', async () => {
    const first = answering('9000');
    setGlobalMy(first);
    await tradePay({ paymentUrl: URL });
    const second = answering('6001');
    setGlobalMy(second);
    await expect(tradePay({ paymentUrl: URL })).resolves.toMatchObject({ status: 'cancelled' });
    expect(first.tradePay).toHaveBeenCalledTimes(1);
    expect(second.tradePay).toHaveBeenCalledTimes(1);
  });

  it('prefers options.my over the global my', async () => {
    const global = answering('9000');
    setGlobalMy(global);
    const injected = answering('4000');
    await expect(tradePay({ paymentUrl: URL }, { my: injected })).resolves.toMatchObject({ status: 'failed' });
    expect(global.tradePay).not.toHaveBeenCalled();
  });

  it.each<[string, unknown]>([
    ['there is no global my', undefined],
    ['the global my has no tradePay', {}],
    ['the global my.tradePay is not a function', { tradePay: 'nope' }],
  ])('rejects with NO_RUNTIME saying it is not in a mini program when %s', async (_name, global) => {
    setGlobalMy(global);
    const error = await tradePay({ paymentUrl: URL }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TradePayError);
    expect(error).toMatchObject({
      code: 'NO_RUNTIME',
      message: expect.stringMatching(/not running in a mini program/),
    });
  });

  it('rejects with NO_RUNTIME when options.my has no tradePay', async () => {
    await expect(tradePay({ paymentUrl: URL }, { my: {} as never })).rejects.toMatchObject({ code: 'NO_RUNTIME' });
  });
});

describe('tradePay when the JSAPI fails', () => {
  it('resolves the fail callback as an error outcome with its error and errorMessage', async () => {
    const failure = { error: 3, errorMessage: 'cashier unavailable' };
    const my = fakeMy((p) => p.fail!(failure));
    await expect(tradePay({ paymentUrl: URL }, { my })).resolves.toEqual({
      status: 'error',
      resultCode: 'ERROR',
      error: 3,
      errorMessage: 'cashier unavailable',
      cause: failure,
    });
  });

  it('gives a fail callback without details a generic errorMessage', async () => {
    const my = fakeMy((p) => (p.fail as (e: unknown) => void)(undefined));
    await expect(tradePay({ paymentUrl: URL }, { my })).resolves.toMatchObject({
      status: 'error',
      error: undefined,
      errorMessage: 'my.tradePay failed',
    });
  });

  it('resolves a synchronous throw as an error outcome instead of rejecting', async () => {
    const thrown = new Error('tradePay is not supported on this client');
    const my = fakeMy(() => {
      throw thrown;
    });
    await expect(tradePay({ paymentUrl: URL }, { my })).resolves.toEqual({
      status: 'error',
      resultCode: 'ERROR',
      error: undefined,
      errorMessage: 'tradePay is not supported on this client',
      cause: thrown,
    });
  });

  it('frees the runtime after a throw, so the next payment can start', async () => {
    let calls = 0;
    const my = fakeMy((p) => {
      if (++calls === 1) throw new Error('first');
      p.success!({ resultCode: '9000' });
    });
    await expect(tradePay({ paymentUrl: URL }, { my })).resolves.toMatchObject({ status: 'error' });
    await expect(tradePay({ paymentUrl: URL }, { my })).resolves.toMatchObject({ status: 'paid' });
  });

  it('reads the answer of a promise-style host that never calls back', async () => {
    const my = fakeMy(() => Promise.resolve({ resultCode: '8000' }));
    await expect(tradePay({ paymentUrl: URL }, { my })).resolves.toEqual({ status: 'processing', resultCode: '8000' });
  });

  it('resolves the rejection of a promise-style host as an error outcome', async () => {
    const my = fakeMy(() => Promise.reject({ error: 2, errorMessage: 'bad params' }));
    await expect(tradePay({ paymentUrl: URL }, { my })).resolves.toMatchObject({
      status: 'error',
      error: 2,
      errorMessage: 'bad params',
    });
  });
});

describe('tradePay settles once', () => {
  it.each<[string, (params: TradePayJsapiParams) => unknown, TradePayStatus]>([
    ['success twice', (p) => (p.success!({ resultCode: '9000' }), p.success!({ resultCode: '4000' })), 'paid'],
    ['success then fail', (p) => (p.success!({ resultCode: '6001' }), p.fail!({ error: 1 })), 'cancelled'],
    ['fail then success', (p) => (p.fail!({ error: 1 }), p.success!({ resultCode: '9000' })), 'error'],
    [
      'success, then the returned promise',
      (p) => (p.success!({ resultCode: '4000' }), Promise.resolve({ resultCode: '9000' })),
      'failed',
    ],
  ])('keeps the first answer when the JSAPI calls %s', async (_name, behaviour, status) => {
    const my = fakeMy(behaviour);
    const outcome = await tradePay({ paymentUrl: URL }, { my });
    await Promise.resolve();
    expect(outcome.status).toBe(status);
  });
});

describe('tradePay settles once, across payments', () => {
  it('ignores a late second callback of a settled payment, which must not free the next payment', async () => {
    const my = fakeMy();
    const first = tradePay({ paymentUrl: URL }, { my });
    const firstCall = my.last();
    firstCall.success!({ resultCode: '6001' });
    await first;
    const second = tradePay({ paymentUrl: URL + '2' }, { my });
    firstCall.success!({ resultCode: '9000' });
    firstCall.fail!({ error: 1 });
    await expect(tradePay({ paymentUrl: URL + '3' }, { my })).rejects.toMatchObject({ code: 'BUSY' });
    expect(await settled(second)).toBe(false);
    my.last().success!({ resultCode: '4000' });
    await expect(second).resolves.toEqual({ status: 'failed', resultCode: '4000' });
  });
});

describe('tradePay while a payment is in flight', () => {
  it('returns the same promise for the same request and opens one cashier (double tap)', async () => {
    const my = fakeMy();
    const first = tradePay({ paymentUrl: URL }, { my });
    const second = tradePay({ paymentUrl: URL }, { my });
    expect(second).toBe(first);
    expect(my.tradePay).toHaveBeenCalledTimes(1);
    my.last().success!({ resultCode: '9000' });
    await expect(second).resolves.toEqual({ status: 'paid', resultCode: '9000' });
  });

  it('rejects a different request with BUSY and leaves the first one alone', async () => {
    const my = fakeMy();
    const first = tradePay({ paymentUrl: URL }, { my });
    const error = await tradePay({ paymentUrl: URL + '2' }, { my }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TradePayError);
    expect(error).toMatchObject({ code: 'BUSY' });
    await expect(tradePay({ tradeNO: URL }, { my })).rejects.toMatchObject({ code: 'BUSY' });
    expect(my.tradePay).toHaveBeenCalledTimes(1);
    my.last().success!({ resultCode: '9000' });
    await expect(first).resolves.toMatchObject({ status: 'paid' });
  });

  it('accepts a new payment once the previous one settled, calling the JSAPI again', async () => {
    const my = answering('6001');
    const first = tradePay({ paymentUrl: URL }, { my });
    await first;
    const again = tradePay({ paymentUrl: URL }, { my });
    expect(again).not.toBe(first);
    await again;
    await tradePay({ paymentUrl: URL + '2' }, { my });
    expect(my.tradePay).toHaveBeenCalledTimes(3);
  });

  it('keeps runtimes apart: a payment in flight on one my does not make another BUSY', async () => {
    const busy = fakeMy();
    void tradePay({ paymentUrl: URL }, { my: busy });
    await expect(tradePay({ paymentUrl: URL + '2' }, { my: answering('9000') })).resolves.toMatchObject({
      status: 'paid',
    });
  });
});

describe('tradePay timeoutMs', () => {
  it('resolves unknown with resultCode TIMEOUT when the JSAPI has not called back in time, and ignores a late answer', async () => {
    jest.useFakeTimers();
    const my = fakeMy();
    const pending = tradePay({ paymentUrl: URL }, { my, timeoutMs: 30_000 });
    await jest.advanceTimersByTimeAsync(29_999);
    expect(await settled(pending)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toEqual({ status: 'unknown', resultCode: 'TIMEOUT' });
    my.last().success!({ resultCode: '9000' });
    await expect(pending).resolves.toEqual({ status: 'unknown', resultCode: 'TIMEOUT' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('frees the runtime after a timeout, so a new payment is not BUSY', async () => {
    jest.useFakeTimers();
    const my = fakeMy();
    const first = tradePay({ paymentUrl: URL }, { my, timeoutMs: 10 });
    await jest.advanceTimersByTimeAsync(10);
    await first;
    const second = tradePay({ paymentUrl: URL + '2' }, { my });
    my.last().success!({ resultCode: '9000' });
    await expect(second).resolves.toMatchObject({ status: 'paid' });
  });

  it('clears its timer when the JSAPI answers first', async () => {
    jest.useFakeTimers();
    const my = fakeMy();
    const pending = tradePay({ paymentUrl: URL }, { my, timeoutMs: 30_000 });
    expect(jest.getTimerCount()).toBe(1);
    my.last().success!({ resultCode: '9000' });
    await expect(pending).resolves.toMatchObject({ status: 'paid' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sets no timer without timeoutMs', async () => {
    jest.useFakeTimers();
    void tradePay({ paymentUrl: URL }, { my: fakeMy() });
    expect(jest.getTimerCount()).toBe(0);
  });
});
