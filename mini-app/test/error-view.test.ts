import { AuthCodeError, NetworkError, ServerError } from '../src/api/errors';
import { en, es } from '../src/i18n/strings';
import { errorView, tradePayErrorView } from '../src/logic/error-view';

test('unreachable server: the connection message and a retry', () => {
  expect(errorView(new NetworkError('x'), en)).toEqual({ message: en.errors.unreachable, canRetry: true });
});

test('payment creation refused: the reason the server passes on, in the user language for a known code', () => {
  const refused = new ServerError('The payment was rejected for risk reasons.', { code: 'RISK_REJECT', status: 402 });
  expect(errorView(refused, en, 'payment').message).toBe(
    'The payment could not be created: The wallet declined the payment for security reasons.',
  );
  expect(errorView(refused, es, 'payment').message).toBe(
    'No se pudo crear el pago: El monedero rechazó el pago por motivos de seguridad.',
  );
  const unknown = new ServerError('The wallet says why.', { code: 'NEW_CODE', status: 402 });
  expect(errorView(unknown, en, 'payment').message).toBe('The payment could not be created: The wallet says why.');
  expect(errorView(refused, en, 'load').message).toBe(
    'Something went wrong: The payment was rejected for risk reasons.',
  );
});

test('no auth code: says the sign-in failed', () => {
  expect(errorView(new AuthCodeError('my.getAuthCode failed: denied'), en).message).toBe(
    "Couldn't sign you in: my.getAuthCode failed: denied",
  );
});

test('tradePay not-permitted and error outcomes', () => {
  expect(tradePayErrorView({ status: 'not-permitted' }, en)).toEqual({
    message: en.errors.notPermitted,
    canRetry: false,
  });
  expect(tradePayErrorView({ status: 'error', error: 3, errorMessage: '' }, en).message).toBe(
    "The wallet's cashier could not be opened: 3",
  );
});
