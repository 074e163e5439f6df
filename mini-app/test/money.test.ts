import { formatMoney, multiplyMoney, sumMoney } from '../src/logic/money';

describe('formatMoney formats minor units without floats', () => {
  test.each([
    [{ currency: 'USD', value: '1250' }, 'en', 'USD 12.50'],
    [{ currency: 'USD', value: '5' }, 'en', 'USD 0.05'],
    [{ currency: 'USD', value: '0' }, 'en', 'USD 0.00'],
    [{ currency: 'USD', value: '123456789' }, 'en', 'USD 1,234,567.89'],
    [{ currency: 'USD', value: '123456789' }, 'es', '1.234.567,89 USD'],
    [{ currency: 'JPY', value: '1500' }, 'en', 'JPY 1,500'],
    [{ currency: 'KWD', value: '1234' }, 'en', 'KWD 1.234'],
    [{ currency: 'PHP', value: '-250' }, 'en', 'PHP -2.50'],
    [{ currency: 'USD', value: '90071992547409931' }, 'en', 'USD 900,719,925,474,099.31'],
    // The wallets' own currencies, as their markets write them (the exponents from the contract's table).
    [{ currency: 'PHP', value: '125000' }, 'en', 'PHP 1,250.00'],
    [{ currency: 'PHP', value: '125000' }, 'es', '1.250,00 PHP'],
    [{ currency: 'IDR', value: '1500000' }, 'en', 'IDR 15.000'],
    [{ currency: 'IDR', value: '1500000' }, 'es', '15.000 IDR'],
    [{ currency: 'IDR', value: '1500050' }, 'en', 'IDR 15.000,50'],
    [{ currency: 'IDR', value: '100' }, 'en', 'IDR 1'],
    [{ currency: 'KRW', value: '12500' }, 'en', 'KRW 12,500'],
    [{ currency: 'KRW', value: '12500' }, 'es', '12.500 KRW'],
    [{ currency: 'THB', value: '9975' }, 'en', 'THB 99.75'],
    [{ currency: 'MYR', value: '1990' }, 'en', 'MYR 19.90'],
  ] as const)('%j in %s → %s', (money, locale, expected) => {
    expect(formatMoney(money, locale)).toBe(expected);
  });

  test.each(['12.50', '', 'abc', '1e3'])('rejects %j, which is not minor units', (value) => {
    expect(() => formatMoney({ currency: 'USD', value })).toThrow(/minor units/);
  });

  test('knows every ISO 4217 exponent, CLF and UYW (4) included', () => {
    expect(formatMoney({ currency: 'CLF', value: '12345' }, 'en')).toBe('CLF 1.2345');
    expect(formatMoney({ currency: 'UYW', value: '12345' }, 'es')).toBe('1,2345 UYW');
    expect(formatMoney({ currency: 'BHD', value: '1500' }, 'en')).toBe('BHD 1.500');
  });
});

describe('money arithmetic stays in integers', () => {
  test('multiplies a unit price by a quantity', () => {
    expect(multiplyMoney({ currency: 'USD', value: '199' }, 3)).toEqual({ currency: 'USD', value: '597' });
  });

  test('adds amounts of one currency and refuses to mix currencies', () => {
    expect(
      sumMoney(
        [
          { currency: 'USD', value: '10' },
          { currency: 'USD', value: '5' },
        ],
        'USD',
      ),
    ).toEqual({ currency: 'USD', value: '15' });
    expect(() => sumMoney([{ currency: 'EUR', value: '10' }], 'USD')).toThrow('cannot add EUR to USD');
  });

  test('refuses a total past the safe integer range rather than rounding it', () => {
    expect(() => multiplyMoney({ currency: 'USD', value: String(Number.MAX_SAFE_INTEGER) }, 2)).toThrow(/too large/);
  });
});
