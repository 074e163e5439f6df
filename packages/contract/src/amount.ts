// Amounts are integers in minor units, as strings on the wire. Formatting and parsing them is string arithmetic
// only: no amount ever goes through a float, so none is ever rounded, whatever its size.
import { currencyExponent } from './currency';
import { ContractError } from './errors';
import type { Amount } from './merchant-api';

/** How `formatAmount` writes a number: English by default (`1,234.56 USD`). */
export interface AmountStyle {
  /** Between groups of three digits. Default `,`. */
  group?: string;
  /** Before the minor units. Default `.`. */
  decimal?: string;
  /** Where the currency code goes. Default `after`. */
  currency?: 'before' | 'after';
}

function exponentOf(currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) {
    throw new ContractError(`"${currency}" is not an ISO 4217 currency code, so its minor units are unknown`, {
      code: 'UNKNOWN_CURRENCY',
    });
  }
  return exponent;
}

/**
 * Minor units as a person reads them: `{ USD, "123456" }` → `1,234.56 USD`, `{ JPY, "1500" }` → `1,500 JPY`,
 * `{ KWD, "1500" }` → `1.500 KWD`. A negative value keeps its sign.
 * @throws ContractError `INVALID_AMOUNT` for a value that is not a string of digits, `UNKNOWN_CURRENCY`.
 */
export function formatAmount(amount: Amount, style: AmountStyle = {}): string {
  const { value, currency } = amount;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw new ContractError(`${JSON.stringify(value)} is not an amount in minor units (a string of digits)`, {
      code: 'INVALID_AMOUNT',
    });
  }
  const exponent = exponentOf(currency);
  const negative = value.charAt(0) === '-';
  const digits = (negative ? value.slice(1) : value).replace(/^0+(?=\d)/, '').padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, style.group ?? ',');
  const number = `${negative ? '-' : ''}${grouped}${exponent > 0 ? (style.decimal ?? '.') + fraction : ''}`;
  return style.currency === 'before' ? `${currency} ${number}` : `${number} ${currency}`;
}

/**
 * A decimal amount in major units as minor units: `("12.5", "USD")` → `{ USD, "1250" }`, `("1500", "JPY")` →
 * `{ JPY, "1500" }`. Digits with at most one `.`, and no more decimals than the currency has.
 * @throws ContractError `INVALID_AMOUNT` naming the problem, `UNKNOWN_CURRENCY`.
 */
export function parseAmount(text: string, currency: string): Amount {
  const exponent = exponentOf(currency);
  const match = typeof text === 'string' ? /^(\d+)(?:\.(\d+))?$/.exec(text.trim()) : null;
  if (!match) {
    throw new ContractError(`${JSON.stringify(text)} is not a decimal amount such as "12.50"`, {
      code: 'INVALID_AMOUNT',
    });
  }
  const whole = match[1] as string;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    throw new ContractError(
      `${JSON.stringify(text)} has ${fraction.length} decimals, but ${currency} has ${exponent === 0 ? 'no minor units' : `only ${exponent}`}`,
      { code: 'INVALID_AMOUNT' },
    );
  }
  const minor = (whole + fraction + '0'.repeat(exponent - fraction.length)).replace(/^0+(?=\d)/, '');
  return { currency, value: minor };
}
