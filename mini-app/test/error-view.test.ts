import { AuthCodeError, NetworkError, ServerError } from '../src/api/errors';
import { en } from '../src/i18n/strings';
import { errorView, tradePayErrorView } from '../src/logic/error-view';

test('unreachable server: the connection message and a retry', () => {
  expect(errorView(new NetworkError('x'), en)).toEqual({ message: en.errors.unreachable, canRetry: true });
});

test('payment creation refused: the reason the server passes on', () => {
  const refused = new ServerError('USER_BALANCE_NOT_ENOUGH', 'The user balance is not enough.', { status: 402 });
  expect(errorView(refused, en, 'payment').message).toBe('The payment could not be created: The user balance is not enough.');
  expect(errorView(refused, en, 'load').message).toBe('Something went wrong: The user balance is not enough.');
});

test('no auth code: says the sign-in failed', () => {
  expect(errorView(new AuthCodeError('my.getAuthCode failed: denied'), en).message).toBe("Couldn't sign you in: my.getAuthCode failed: denied");
});

test('tradePay not-permitted and error outcomes', () => {
  expect(tradePayErrorView({ status: 'not-permitted' }, en)).toEqual({ message: en.errors.notPermitted, canRetry: false });
  expect(tradePayErrorView({ status: 'error', error: 3, errorMessage: '' }, en).message).toBe("The wallet's cashier could not be opened: 3");
});
