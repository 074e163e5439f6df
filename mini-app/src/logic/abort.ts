import type { AbortSignalLike } from '@minipay/tradepay';

export interface Aborter {
  signal: AbortSignalLike;
  abort(): void;
}

/**
 * A minimal abort signal for `confirmPayment`: mini program runtimes do not all have `AbortController`.
 * The confirm page aborts when it is unloaded, so the order stops being polled for a page that is gone.
 */
export function createAborter(): Aborter {
  const listeners: Array<() => void> = [];
  const signal = {
    aborted: false,
    reason: undefined as unknown,
    addEventListener(_type: 'abort', listener: () => void) {
      listeners.push(listener);
    },
    removeEventListener(_type: 'abort', listener: () => void) {
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    },
  };
  return {
    signal,
    abort() {
      if (signal.aborted) return;
      signal.aborted = true;
      signal.reason = new Error('the page was left');
      for (const listener of listeners.splice(0)) listener();
    },
  };
}
