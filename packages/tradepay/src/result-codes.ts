import type { TradePayOutcome, TradePayStatus } from './outcome';

/** The statuses a result code can map to (`error` comes from the `fail` callback, never from a code). */
export type ResultCodeStatus = Exclude<TradePayStatus, 'error'>;

// docs/PROTOCOL.md §3. Anything not listed is `unknown`, keeping the raw code.
const STATUS_BY_CODE: { readonly [code: string]: ResultCodeStatus | undefined } = {
  '9000': 'paid',
  '8000': 'processing',
  '4000': 'failed',
  '6001': 'cancelled',
  '99': 'cancelled', // "forgot password" tapped, user left (iOS)
  '6002': 'network-error',
  '6004': 'unknown',
  '4': 'not-permitted',
};

/** Maps a `my.tradePay` result code (string or number) to an outcome status; unknown codes give `unknown`. */
export function statusForResultCode(resultCode: string | number): ResultCodeStatus {
  const status = STATUS_BY_CODE[resultCode];
  // The typeof check keeps a code such as 'constructor' from picking up Object.prototype.
  return typeof status === 'string' ? status : 'unknown';
}

/** The outcome for a result code the JSAPI reported, with the raw code kept as a string. */
export function outcomeForResultCode(resultCode: unknown): TradePayOutcome {
  const code = resultCode == null ? '' : String(resultCode);
  return { status: statusForResultCode(code), resultCode: code };
}
