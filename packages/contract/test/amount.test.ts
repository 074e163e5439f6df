import { ContractError, formatAmount, parseAmount } from '../src';

describe('formatAmount', () => {
  test.each([
    ['USD', '123456', '1,234.56 USD'],
    ['USD', '5', '0.05 USD'],
    ['USD', '0', '0.00 USD'],
    ['USD', '0001250', '12.50 USD'],
    ['JPY', '1500', '1,500 JPY'],
    ['KRW', '1000000', '1,000,000 KRW'],
    ['PHP', '000100', '1.00 PHP'],
    ['KWD', '1500', '1.500 KWD'],
    ['CLF', '12345', '1.2345 CLF'],
    ['UYW', '1', '0.0001 UYW'],
    ['USD', '-250', '-2.50 USD'],
    // Past 2^53: a float would round this, string arithmetic does not.
    ['USD', '900719925474099312', '9,007,199,254,740,993.12 USD'],
  ])('%s %s → %s', (currency, value, text) => {
    expect(formatAmount({ currency, value })).toBe(text);
  });

  test('writes the style it is given: separators and where the currency goes', () => {
    expect(formatAmount({ currency: 'USD', value: '123456' }, { currency: 'before' })).toBe('USD 1,234.56');
    expect(formatAmount({ currency: 'USD', value: '123456' }, { group: '.', decimal: ',' })).toBe('1.234,56 USD');
  });

  test.each(['12.50', '1e3', '', ' 1', '0x10'])('refuses %j, which is not a string of digits', (value) => {
    expect(() => formatAmount({ currency: 'USD', value })).toThrow(
      expect.objectContaining({ name: 'ContractError', code: 'INVALID_AMOUNT' }),
    );
  });

  test('refuses a currency whose exponent is unknown instead of guessing two decimals', () => {
    expect(() => formatAmount({ currency: 'XYZ', value: '100' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CURRENCY' }),
    );
  });
});

describe('parseAmount', () => {
  test.each([
    ['12.50', 'USD', '1250'],
    ['12.5', 'USD', '1250'],
    ['12', 'USD', '1200'],
    ['0.05', 'USD', '5'],
    ['0', 'USD', '0'],
    ['007.00', 'USD', '700'],
    ['1500', 'JPY', '1500'],
    ['1.5', 'KWD', '1500'],
    ['0.0001', 'UYW', '1'],
    ['90071992547409931.23', 'USD', '9007199254740993123'],
  ])('%s %s → %s minor units', (text, currency, value) => {
    expect(parseAmount(text, currency)).toEqual({ currency, value });
  });

  test.each([
    ['12.505', 'USD', /3 decimals, but USD has only 2/],
    ['1.5', 'JPY', /JPY has no minor units/],
    ['-1', 'USD', /not a decimal amount/],
    ['1,500', 'USD', /not a decimal amount/],
    ['12.', 'USD', /not a decimal amount/],
    ['', 'USD', /not a decimal amount/],
  ])('refuses %j %s', (text, currency, message) => {
    expect(() => parseAmount(text, currency)).toThrow(message);
  });

  test('formatAmount and parseAmount round-trip', () => {
    for (const [currency, value] of [
      ['USD', '123456'],
      ['JPY', '77'],
      ['KWD', '1001'],
      ['CLF', '9'],
    ] as const) {
      const text = formatAmount({ currency, value }, { group: '' }).split(' ')[0] as string;
      expect(parseAmount(text, currency)).toEqual({ currency, value });
    }
  });

  test('its errors follow the workspace convention: literal name, typed code', () => {
    try {
      parseAmount('x', 'USD');
      throw new Error('expected a ContractError');
    } catch (error) {
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).name).toBe('ContractError');
      expect((error as ContractError).code).toBe('INVALID_AMOUNT');
    }
  });
});
