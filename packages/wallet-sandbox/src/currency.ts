// Minor units → a display amount. ISO 4217 gives each currency an exponent; most have 2.

/** Currencies whose exponent is not 2 (ISO 4217). Everything else is shown with two decimals. */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** How many minor-unit digits `currency` has: JPY and KRW 0, KWD 3, most 2. */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/**
 * `"123456"` USD → `"1,234.56 USD"`; `"1500"` JPY → `"1,500 JPY"`. String arithmetic only, so no amount
 * is ever rounded through a float.
 */
export function formatAmount(amount: { currency: string; value: string }): string {
  const exponent = currencyExponent(amount.currency);
  const digits = amount.value.replace(/^0+(?=\d)/, '').padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${exponent > 0 ? `${grouped}.${fraction}` : grouped} ${amount.currency}`;
}
