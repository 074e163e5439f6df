import { formatAmount, type Amount } from '@minipay/contract';
import type { Locale } from '../i18n/locale';

/**
 * An amount in minor units as the user's language writes it, never through a float (the contract's
 * `formatAmount`, with every ISO 4217 exponent): `{ USD, '123456' }` → `USD 1,234.56` in English,
 * `1.234,56 USD` in Spanish.
 */
export function formatMoney(money: Amount, locale: Locale = 'en'): string {
  return formatAmount(
    money,
    locale === 'es' ? { group: '.', decimal: ',', currency: 'after' } : { currency: 'before' },
  );
}

/** `unit × quantity` in minor units, exact while it stays a safe integer (it always does for a cart). */
export function multiplyMoney(unit: Amount, quantity: number): Amount {
  const total = toMinor(unit) * quantity;
  return { currency: unit.currency, value: checked(total) };
}

/** The sum of amounts in one currency; mixing currencies is a mistake, not something to add up. */
export function sumMoney(amounts: Amount[], currency: string): Amount {
  let total = 0;
  for (const amount of amounts) {
    if (amount.currency !== currency) {
      throw new Error(`sumMoney: cannot add ${amount.currency} to ${currency}.`);
    }
    total += toMinor(amount);
  }
  return { currency, value: checked(total) };
}

function toMinor(money: Amount): number {
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
