// ISO 4217: every active currency a payment can be made in, with its exponent (how many minor-unit digits it has).
// The list of the ISO 4217 maintenance agency, without the precious metals, the SDR, the testing code XTS and "no
// currency" XXX. Kept here rather than read from `Intl`, whose answer depends on the ICU data of the runtime (and
// whose digits are CLDR's display digits, not ISO's: CLDR shows IQD without decimals, ISO gives it three).

/** Currency codes by exponent, in alphabetical order within each. */
const BY_EXPONENT: ReadonlyArray<[exponent: number, codes: string]> = [
  [0, 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'],
  [
    2,
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD ' +
      'BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD ' +
      'EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR ' +
      'IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP ' +
      'MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN ' +
      'QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL ' +
      'THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ' +
      'ZMW ZWG ZWL',
  ],
  [3, 'BHD IQD JOD KWD LYD OMR TND'],
  [4, 'CLF UYW'],
];

/** Every active ISO 4217 code → its exponent. */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = (() => {
  const table: Record<string, number> = {};
  for (const [exponent, codes] of BY_EXPONENT) {
    for (const code of codes.split(' ')) table[code] = exponent;
  }
  return table;
})();

/** Whether `code` is an active ISO 4217 currency (`USD`, `PHP`, `JPY`...); `XYZ`, `XTS` or `usd` is not. */
export function isIsoCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, code);
}

/** How many minor-unit digits `currency` has (JPY 0, USD 2, KWD 3, CLF 4), or undefined for a code that is not ISO 4217. */
export function currencyExponent(currency: string): number | undefined {
  return isIsoCurrency(currency) ? CURRENCY_EXPONENTS[currency] : undefined;
}
