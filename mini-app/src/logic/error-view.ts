import { AuthCodeError, MerchantApiError, NetworkError, ServerError } from '../api/errors';
import { format } from '../i18n/locale';
import type { Strings } from '../i18n/strings';
import { reasonText } from './reason';

/** An error as a page shows it: a sentence, and whether "Try again" makes sense. */
export interface ErrorView {
  message: string;
  canRetry: boolean;
}

/** Where the error happened: refusing to create a payment is the wallet's answer, so its reason is shown. */
export type ErrorContext = 'load' | 'payment';

export function errorView(error: unknown, t: Strings, context: ErrorContext = 'load'): ErrorView {
  if (error instanceof NetworkError) return { message: t.errors.unreachable, canRetry: true };
  if (error instanceof AuthCodeError)
    return { message: format(t.errors.session, { reason: error.message }), canRetry: true };
  if (error instanceof ServerError && context === 'payment' && error.status !== 401) {
    return { message: format(t.errors.paymentRefused, { reason: reasonText(error, t) }), canRetry: true };
  }
  const reason = error instanceof MerchantApiError || error instanceof Error ? error.message : String(error);
  return { message: format(t.errors.generic, { reason }), canRetry: true };
}

/** The two tradePay outcomes that are not a payment result at all, as the confirm page shows them. */
export function tradePayErrorView(
  outcome: { status: 'not-permitted' } | { status: 'error'; error?: unknown; errorMessage?: string },
  t: Strings,
): ErrorView {
  if (outcome.status === 'not-permitted') return { message: t.errors.notPermitted, canRetry: false };
  const reason = outcome.errorMessage || (outcome.error !== undefined ? String(outcome.error) : '?');
  return { message: format(t.errors.tradePayError, { reason }), canRetry: true };
}
