// The retry decision, pure so it can be tested as a table. Retrying is only safe because every retry sends the
// same body, hence the same paymentRequestId/refundRequestId: the wallet answers a repeat with the first result.

/** What one attempt ended with. */
export type AttemptOutcome =
  /** A verified wallet answer. */
  | { kind: 'result'; status: 'S' | 'A' | 'U' | 'F' }
  /** No answer: connection refused/reset, DNS, a gateway error page. The wallet may or may not have acted. */
  | { kind: 'transport' }
  /** No complete answer in time. The wallet may or may not have acted. */
  | { kind: 'timeout' }
  /** An answer that cannot be believed or read (bad signature, not JSON...): the same request would get the same. */
  | { kind: 'error' };

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** The first backoff; doubles per retry. */
  initialDelayMs: number;
  /** The cap of the backoff. */
  maxDelayMs: number;
  /** An explicit schedule instead (ms before retry 1, 2, ...; the last repeats). No jitter. */
  delays?: readonly number[];
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

/** Whether an outcome is worth another attempt with the same body. `F` never is; `S`/`A` are final. */
export function isRetryable(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'result':
      return outcome.status === 'U';
    case 'transport':
    case 'timeout':
      return true;
    case 'error':
      return false;
  }
}

/**
 * Whether to retry after `retriesSoFar` retries, and after how long: capped exponential backoff with "equal
 * jitter" (half the step fixed, half random) so that many clients do not retry in lockstep.
 * @param random a number in [0, 1), e.g. Math.random
 */
export function decideRetry(
  outcome: AttemptOutcome,
  retriesSoFar: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!isRetryable(outcome) || retriesSoFar >= policy.maxRetries) return { retry: false };
  if (policy.delays && policy.delays.length > 0) {
    const delay = policy.delays[Math.min(retriesSoFar, policy.delays.length - 1)] ?? 0;
    return { retry: true, delayMs: Math.max(0, delay) };
  }
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retriesSoFar);
  const jitter = Math.min(Math.max(random(), 0), 1);
  return { retry: true, delayMs: Math.round(step / 2 + (step / 2) * jitter) };
}
