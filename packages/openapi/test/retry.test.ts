import { decideRetry, isRetryable, type AttemptOutcome, type RetryPolicy } from '../src/internal/retry';

const policy: RetryPolicy = { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 250 };
const half = () => 0.5;

describe('isRetryable', () => {
  it.each<[AttemptOutcome, boolean]>([
    [{ kind: 'result', status: 'S' }, false],
    [{ kind: 'result', status: 'A' }, false],
    [{ kind: 'result', status: 'F' }, false],
    [{ kind: 'result', status: 'U' }, true],
    [{ kind: 'transport' }, true],
    [{ kind: 'timeout' }, true],
    [{ kind: 'error' }, false],
  ])('%j → %s', (outcome, expected) => {
    expect(isRetryable(outcome)).toBe(expected);
  });
});

describe('decideRetry', () => {
  it.each<[number, number]>([
    [0, 75], // step 100: 50 fixed + 50 * 0.5
    [1, 150], // step 200
    [2, 188], // step capped at 250
  ])('after %i retries waits %i ms with jitter 0.5 (doubling, capped)', (retries, delay) => {
    expect(decideRetry({ kind: 'transport' }, retries, policy, half)).toEqual({ retry: true, delayMs: delay });
  });

  it('stops at maxRetries', () => {
    expect(decideRetry({ kind: 'result', status: 'U' }, 3, policy, half)).toEqual({ retry: false });
  });

  it('never retries F, even with retries left', () => {
    expect(decideRetry({ kind: 'result', status: 'F' }, 0, policy, half)).toEqual({ retry: false });
  });

  it('keeps the jitter within [step/2, step]', () => {
    expect(decideRetry({ kind: 'timeout' }, 1, policy, () => 0)).toEqual({ retry: true, delayMs: 100 });
    expect(decideRetry({ kind: 'timeout' }, 1, policy, () => 0.999999)).toEqual({ retry: true, delayMs: 200 });
  });

  it('follows an explicit schedule, repeating its last entry', () => {
    const schedule = { ...policy, maxRetries: 4, delays: [10, 20] };
    expect([0, 1, 2, 3].map((n) => decideRetry({ kind: 'transport' }, n, schedule, half))).toEqual([
      { retry: true, delayMs: 10 },
      { retry: true, delayMs: 20 },
      { retry: true, delayMs: 20 },
      { retry: true, delayMs: 20 },
    ]);
  });

  it('with maxRetries 0 never retries', () => {
    expect(decideRetry({ kind: 'transport' }, 0, { ...policy, maxRetries: 0 }, half)).toEqual({ retry: false });
  });
});
