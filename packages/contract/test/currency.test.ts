import { CURRENCY_EXPONENTS, currencyExponent, isIsoCurrency } from '../src';

describe('the ISO 4217 table', () => {
  const codes = Object.keys(CURRENCY_EXPONENTS);

  test('holds every active currency once, each a code of three uppercase letters', () => {
    expect(codes).toHaveLength(169);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  test.each([
    ['USD', 2],
    ['PHP', 2],
    ['IDR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['VND', 0],
    ['UYI', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['THB', 2],
    ['XAF', 0],
    ['XOF', 0],
    ['CLF', 4],
    ['UYW', 4],
  ])('%s has %i minor-unit digits', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(isIsoCurrency(code)).toBe(true);
  });

  test.each(['XYZ', 'XTS', 'XXX', 'XAU', 'usd', 'US', '', 'toString', 'constructor'])(
    '%j is not a currency',
    (code) => {
      expect(isIsoCurrency(code)).toBe(false);
      expect(currencyExponent(code)).toBeUndefined();
    },
  );
});
