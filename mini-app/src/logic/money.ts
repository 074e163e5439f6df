import { formatAmount, type Amount } from '@minipay/contract';
import type { Locale } from '../i18n/locale';

/**
 * Currencies that their own market writes differently from the user's language, whatever that language: the
 * Indonesian rupiah has two minor-unit digits in ISO 4217 (so the wallet's amounts are in sen), but prices are
 * written in whole rupiah with dots between thousands, `IDR 15.000`. Its sen are shown only when there are any.
 */
const MARKET_STYLES: Readonly<Record<string, { group: string; decimal: string; zeroMinorUnitsShown: boolean }>> = {
  IDR: { group: '.', decimal: ',', zeroMinorUnitsShown: false },
};

/**
 * An amount in minor units as the user's language writes it, never through a float (the contract's
 * `formatAmount`, with every ISO 4217 exponent): `{ USD, '123456' }` → `USD 1,234.56` in English,
 * `1.234,56 USD` in Spanish; `PHP 1,250.00`, `KRW 12,500` (no minor units), and `IDR 15.000` as Indonesia writes it.
 */
export function formatMoney(money: Amount, locale: Locale = 'en'): string {
  const market = MARKET_STYLES[money.currency];
  const language = locale === 'es' ? { group: '.', decimal: ',' } : { group: ',', decimal: '.' };
  const separators = market ?? language;
  const text = formatAmount(money, {
    group: separators.group,
    decimal: separators.decimal,
    currency: locale === 'es' ? 'after' : 'before',
  });
  if (market === undefined || market.zeroMinorUnitsShown) return text;
  // `15.000,00` → `15.000`: the decimal separator followed only by zeros, before the code or at the end.
  return text.replace(new RegExp(`\\${market.decimal}0+(?= |$)`), '');
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
