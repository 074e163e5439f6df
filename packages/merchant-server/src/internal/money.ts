// Money is an integer number of minor units in the database and a string on the wire; never a float.
import type { Amount } from '@minipay/contract';

export function toAmount(currency: string, minorUnits: number): Amount {
  return { currency, value: String(minorUnits) };
}

/**
 * Whether a wire amount is exactly the order's: same currency, and the value is the canonical decimal string of
 * the same integer ("100", not "100.00", "0100" or 100). Anything else is a mismatch, never "close enough".
 */
export function amountMismatch(
  amount: Amount | undefined,
  currency: string,
  minorUnits: number,
): 'currency' | 'amount' | undefined {
  if (amount === undefined || typeof amount !== 'object') return 'amount';
  if (amount.currency !== currency) return 'currency';
  if (amount.value !== String(minorUnits)) return 'amount';
  return undefined;
}
