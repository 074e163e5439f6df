import type { TradePayOutcome, TradePayStatus } from './outcome';

/**
 * Whether the cashier gave a definite answer (`paid`, `failed`, `cancelled`, `not-permitted`, `error`)
 * rather than "ask the server" (`processing`, `network-error`, `unknown`). Even a final `paid` is
 * confirmed with the server before the page says so.
 */
export function isFinal(outcome: TradePayOutcome): boolean {
  const { status } = outcome;
  return status !== 'processing' && status !== 'network-error' && status !== 'unknown';
}

type Messages = { readonly [S in TradePayStatus]: string };

const EN: Messages = {
  paid: 'Payment completed.',
  processing: 'Your payment is being processed.',
  failed: 'The payment failed.',
  cancelled: 'The payment was cancelled.',
  'network-error': 'Network error: the payment may have gone through.',
  unknown: 'The payment result is unknown yet.',
  'not-permitted': 'Payments are not permitted here.',
  error: 'The payment could not be started.',
};

const ES: Messages = {
  paid: 'Pago completado.',
  processing: 'Tu pago se está procesando.',
  failed: 'El pago falló.',
  cancelled: 'El pago fue cancelado.',
  'network-error': 'Error de red: es posible que el pago se haya realizado.',
  unknown: 'Aún no se conoce el resultado del pago.',
  'not-permitted': 'Aquí no se permite pagar.',
  error: 'No se pudo iniciar el pago.',
};

/**
 * A short message for the outcome, in Spanish for a Spanish locale (`es`, `es-MX`, `es_ES`, ...) and
 * in English otherwise. Describes what the phone was told; show the server's answer for the result.
 */
export function describeOutcome(outcome: TradePayOutcome, locale?: string): string {
  return (/^es(?:[-_]|$)/i.test(locale || '') ? ES : EN)[outcome.status];
}
