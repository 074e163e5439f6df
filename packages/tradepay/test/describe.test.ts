import { describeOutcome, isFinal, type TradePayOutcome, type TradePayStatus } from '../src';

const outcome = (status: TradePayStatus): TradePayOutcome =>
  status === 'error'
    ? { status, resultCode: 'ERROR', error: 3, errorMessage: 'failed', cause: undefined }
    : { status, resultCode: '0' };

const ALL: TradePayStatus[] = [
  'paid',
  'processing',
  'failed',
  'cancelled',
  'network-error',
  'unknown',
  'not-permitted',
  'error',
];

describe('isFinal', () => {
  it.each<[TradePayStatus, boolean]>([
    ['paid', true],
    ['failed', true],
    ['cancelled', true],
    ['not-permitted', true],
    ['error', true],
    ['processing', false],
    ['network-error', false],
    ['unknown', false],
  ])('says %s is final: %s', (status, final) => {
    expect(isFinal(outcome(status))).toBe(final);
  });
});

describe('describeOutcome', () => {
  it.each<[TradePayStatus, string, string]>([
    ['paid', 'Payment completed.', 'Pago completado.'],
    ['processing', 'Your payment is being processed.', 'Tu pago se está procesando.'],
    ['failed', 'The payment failed.', 'El pago falló.'],
    ['cancelled', 'The payment was cancelled.', 'El pago fue cancelado.'],
    [
      'network-error',
      'Network error: the payment may have gone through.',
      'Error de red: es posible que el pago se haya realizado.',
    ],
    ['unknown', 'The payment result is unknown yet.', 'Aún no se conoce el resultado del pago.'],
    ['not-permitted', 'Payments are not permitted here.', 'Aquí no se permite pagar.'],
    ['error', 'The payment could not be started.', 'No se pudo iniciar el pago.'],
  ])('describes %s in English and Spanish', (status, english, spanish) => {
    expect(describeOutcome(outcome(status))).toBe(english);
    expect(describeOutcome(outcome(status), 'es')).toBe(spanish);
  });

  it('gives every status its own message in each language', () => {
    for (const locale of ['en', 'es']) {
      const messages = ALL.map((status) => describeOutcome(outcome(status), locale));
      expect(new Set(messages).size).toBe(ALL.length);
    }
  });

  it.each(['es', 'es-MX', 'es_ES', 'ES', 'es-419', 'es-Latn-AR'])('speaks Spanish for the locale %s', (locale) => {
    expect(describeOutcome(outcome('cancelled'), locale)).toBe('El pago fue cancelado.');
  });

  it.each([undefined, '', 'en', 'en-US', 'fr', 'pt-BR', 'est', 'e', 'zh-Hans', 'en-ES'])(
    'speaks English for the locale %p',
    (locale) => {
      expect(describeOutcome(outcome('cancelled'), locale)).toBe('The payment was cancelled.');
    },
  );
});
