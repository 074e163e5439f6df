// The fulfilment hook as a signed webhook: `MINIPAY_FULFILMENT_URL` gets each outbox event as a POST of the same JSON
// the function hook receives. It is a `FulfilmentHook` like any other, so the outbox, the lease and the backoff of
// `fulfilment.ts` apply unchanged: a 2xx answer within the timeout resolves (delivered); anything else throws, and the
// event is posted again later with the same `id`.
import { describeNetworkError } from '@minipay/openapi';
import type { FulfilmentEvent, FulfilmentHook } from './fulfilment';
import { FULFILMENT_SIGNATURE_HEADER, signFulfilmentBody } from './fulfilment-signature';

export interface FulfilmentWebhookOptions {
  url: string;
  secret: string;
  /** One attempt, answer included, is abandoned after this. */
  timeoutMs: number;
  clock: () => number;
}

/** Where a failure message says it posted: the URL without its query and credentials (which may be a token). */
function describeTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export function fulfilmentWebhook(options: FulfilmentWebhookOptions): FulfilmentHook {
  const target = describeTarget(options.url);
  return async (event: FulfilmentEvent) => {
    const body = JSON.stringify(event);
    const timestamp = Math.floor(options.clock() / 1000);
    // One controller per attempt, aborted by its own timer (see the sandbox's notifier for why not AbortSignal.timeout).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    let status: number;
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'minipay-merchant-server',
          [FULFILMENT_SIGNATURE_HEADER]: signFulfilmentBody(body, options.secret, timestamp),
          'Minipay-Event-Id': event.id,
          'Minipay-Event-Type': event.type,
        },
        body,
        // A redirect is not an answer: following it would post the event somewhere nobody configured.
        redirect: 'manual',
        signal: controller.signal,
      });
      status = response.status;
      // The answer's body is not read (only its status counts), but it must be released with the connection.
      await response.body?.cancel();
    } catch (error) {
      const why = timedOut ? `no answer within ${options.timeoutMs} ms` : describeNetworkError(error);
      throw new Error(`POST ${target}: ${why}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (status < 200 || status > 299) throw new Error(`POST ${target} answered ${status}, not 2xx`);
  };
}
