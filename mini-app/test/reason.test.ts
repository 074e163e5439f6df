import { en, es } from '../src/i18n/strings';
import { reasonText } from '../src/logic/reason';

test.each([
  ['en', en, 'Your balance is not enough.'],
  ['es', es, 'Tu saldo no es suficiente.'],
] as const)(
  'a code the app knows is said in the user language (%s), not in the wallet message language',
  (_locale, t, text) => {
    expect(reasonText({ code: 'USER_BALANCE_NOT_ENOUGH', message: 'The user balance is not enough.' }, t)).toBe(text);
  },
);

test('an unknown code: the wallet message, else the code itself', () => {
  expect(reasonText({ code: 'SOMETHING_NEW', message: 'The wallet said why.' }, es)).toBe('The wallet said why.');
  expect(reasonText({ code: 'SOMETHING_NEW', message: '' }, es)).toBe('SOMETHING_NEW');
  expect(reasonText({}, en)).toBe('');
});

test('a code is looked up as a key of its own, never through Object.prototype', () => {
  expect(reasonText({ code: 'constructor', message: 'm' }, en)).toBe('m');
  expect(reasonText({ code: 'toString' }, en)).toBe('toString');
});
