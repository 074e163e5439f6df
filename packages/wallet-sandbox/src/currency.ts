// ISO 4217 currencies: which codes exist, and how many minor-unit digits each has (minor units → a display amount).

/** Currencies whose exponent is not 2 (ISO 4217). Everything else is shown with two decimals. */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/**
 * The active ISO 4217 currency codes a payment can be made in (the list of the ISO 4217 maintenance agency),
 * without the precious metals, the SDR, the testing code XTS and "no currency" XXX. Kept here rather than read
 * from `Intl.supportedValuesOf('currency')`, whose answer depends on the ICU data Node was built with.
 */
const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
    'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW ' +
    'KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN ' +
    'NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL ' +
    'SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES ' +
    'VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

/** Whether `code` is an active ISO 4217 currency (`USD`, `PHP`, `JPY`...); `XYZ` or `usd` is not. */
export function isIsoCurrency(code: string): boolean {
  return ISO_4217.has(code);
}

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
