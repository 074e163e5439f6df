import type { MyLike, TradePayJsapiParams } from '../src';

/** A fake `my` whose `tradePay` records its calls; the test answers through the recorded callbacks. */
export interface FakeMy extends MyLike {
  tradePay: jest.Mock<unknown, [TradePayJsapiParams]>;
  /** The params of the most recent call. */
  last(): TradePayJsapiParams;
}

export function fakeMy(behaviour: (params: TradePayJsapiParams) => unknown = () => undefined): FakeMy {
  const tradePay = jest.fn(behaviour);
  return {
    tradePay,
    last() {
      const call = tradePay.mock.calls[tradePay.mock.calls.length - 1];
      if (!call) throw new Error('my.tradePay was not called');
      return call[0];
    },
  };
}

/** A fake `my` that answers every call with this result code, synchronously. */
export function answering(resultCode: unknown): FakeMy {
  return fakeMy((params) => params.success!({ resultCode } as { resultCode: string }));
}

const globals = globalThis as unknown as { my?: unknown };

/** Installs (or with `undefined`, removes) the global `my` the way a mini program host provides it. */
export function setGlobalMy(value: unknown): void {
  if (value === undefined) delete globals.my;
  else globals.my = value;
}

/** Whether a promise has settled, without waiting for it (it checks after pending microtasks run). */
export async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
}
