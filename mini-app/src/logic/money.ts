import type { Locale } from '../i18n/locale';
import type { Money } from '../api/types';

/** ISO 4217 minor-unit exponents that are not 2 (the default). */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** Digits after the decimal point for a currency (2 unless ISO 4217 says otherwise). */
export function minorUnitDigits(currency: string): number {
  const exponent = EXPONENTS[currency.toUpperCase()];
  return exponent === undefined ? 2 : exponent;
}

/**
 * Formats an amount in minor units without ever going through a float: `{ USD, '123456' }` →
 * `USD 1,234.56` in English, `1.234,56 USD` in Spanish. The string arithmetic keeps any size exact.
 */
export function formatMoney(money: Money, locale: Locale = 'en'): string {
  if (!/^-?\d+$/.test(money.value)) {
    throw new Error(`formatMoney: "${money.value}" is not an amount in minor units (a string of digits).`);
  }
  const negative = money.value.startsWith('-');
  const digits = negative ? money.value.slice(1) : money.value;
  const exponent = minorUnitDigits(money.currency);
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, padded.length - exponent).replace(/^0+(?=\d)/, '');
  const fraction = exponent > 0 ? padded.slice(padded.length - exponent) : '';
  const [group, decimal] = locale === 'es' ? ['.', ','] : [',', '.'];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const number = `${negative ? '-' : ''}${grouped}${fraction ? decimal + fraction : ''}`;
  return locale === 'es' ? `${number} ${money.currency}` : `${money.currency} ${number}`;
}

/** `unit × quantity` in minor units, exact while it stays a safe integer (it always does for a cart). */
export function multiplyMoney(unit: Money, quantity: number): Money {
  const total = toMinor(unit) * quantity;
  return { currency: unit.currency, value: checked(total) };
}

/** The sum of amounts in one currency; mixing currencies is a mistake, not something to add up. */
export function sumMoney(amounts: Money[], currency: string): Money {
  let total = 0;
  for (const amount of amounts) {
    if (amount.currency !== currency) {
      throw new Error(`sumMoney: cannot add ${amount.currency} to ${currency}.`);
    }
    total += toMinor(amount);
  }
  return { currency, value: checked(total) };
}

function toMinor(money: Money): number {
  const value = Number(money.value);
  if (!/^-?\d+$/.test(money.value) || !Number.isSafeInteger(value)) {
    throw new Error(`"${money.value}" is not an amount in minor units (a string of digits).`);
  }
  return value;
}

function checked(total: number): string {
  if (!Number.isSafeInteger(total)) throw new Error('The amount is too large to add up exactly.');
  return String(total);
}
