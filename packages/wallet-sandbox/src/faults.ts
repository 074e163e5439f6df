// Notification faults a tester can turn on, per payment or for every payment (docs/PROTOCOL.md §7).

/** Each field is optional; an absent field means "behave normally". */
export interface Faults {
  /** Wait this many seconds (fractions allowed) before the first attempt. */
  delaySeconds?: number;
  /** Send every attempt this many times, back to back (2 = one duplicate). */
  duplicate?: number;
  /** Do not send the first K attempts (logged as `dropped`); the retry schedule goes on. */
  dropFirst?: number;
  /** Never send this payment's notification (logged once as `suppressed`). */
  neverSend?: boolean;
  /** Sign with a key that is not the wallet's, so the merchant must reject the notification. */
  badSignature?: boolean;
  /** Send the first attempt before the cashier / complete API answers. */
  sendBeforeCashier?: boolean;
  /**
   * The next `refund` of the payment answers this, once (then the fault is gone): `U` = the refund is made but the
   * answer says UNKNOWN_EXCEPTION (so a retry with the same refundRequestId must get S, not a second refund); `F` =
   * the refund is not made and the answer is PROCESS_FAIL.
   */
  refundResult?: 'U' | 'F';
  /**
   * How many refund requests in a row get `refundResult` (default 1). A merchant's client retries a `U` itself with the
   * same body, so a `U` that outlasts its retries (and leaves the refund pending) needs more than one.
   */
  refundResultTimes?: number;
}

export const FAULT_NAMES = [
  'delaySeconds',
  'duplicate',
  'dropFirst',
  'neverSend',
  'badSignature',
  'sendBeforeCashier',
  'refundResult',
  'refundResultTimes',
] as const;

/**
 * Reads a fault set from untrusted JSON (the scripting API, the dashboard's form). Throws an Error whose
 * message names the bad field. Fields given explicitly are kept even when they mean "normal" (`duplicate: 1`,
 * `neverSend: false`): on a payment they override the global set.
 */
export function parseFaults(input: Record<string, unknown>): Faults {
  const faults: Faults = {};
  const count = (name: 'duplicate' | 'dropFirst' | 'refundResultTimes', min: number): void => {
    const value = input[name];
    if (value === undefined || value === null || value === '') return;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > 1000) {
      throw new Error(`${name} must be an integer from ${min} to 1000`);
    }
    faults[name] = number;
  };
  const flag = (name: 'neverSend' | 'badSignature' | 'sendBeforeCashier'): void => {
    const value = input[name];
    if (value === undefined || value === null || value === '') return;
    if (value === true || value === 'true' || value === 'on') faults[name] = true;
    else if (value === false || value === 'false') faults[name] = false;
    else throw new Error(`${name} must be true or false`);
  };
  for (const key of Object.keys(input)) {
    if (key !== 'paymentId' && !(FAULT_NAMES as readonly string[]).includes(key)) {
      throw new Error(`unknown fault ${JSON.stringify(key)}; expected one of ${FAULT_NAMES.join(', ')}`);
    }
  }
  const delay = input.delaySeconds;
  if (delay !== undefined && delay !== null && delay !== '') {
    const seconds = typeof delay === 'string' ? Number(delay) : delay;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 86400) {
      throw new Error('delaySeconds must be a number of seconds from 0 to 86400');
    }
    faults.delaySeconds = seconds;
  }
  const refundResult = input.refundResult;
  if (refundResult !== undefined && refundResult !== null && refundResult !== '') {
    if (refundResult !== 'U' && refundResult !== 'F') throw new Error('refundResult must be "U" or "F"');
    faults.refundResult = refundResult;
  }
  count('duplicate', 1);
  count('dropFirst', 0);
  count('refundResultTimes', 1);
  if (faults.refundResultTimes !== undefined && faults.refundResult === undefined)
    throw new Error('refundResultTimes needs refundResult ("U" or "F")');
  flag('neverSend');
  flag('badSignature');
  flag('sendBeforeCashier');
  return faults;
}

/** The fields that change behaviour (drops `false`, `duplicate: 1`, zero delays and drops), for display. */
export function activeFaults(faults: Faults): Faults {
  const active: Faults = {};
  if (faults.delaySeconds) active.delaySeconds = faults.delaySeconds;
  if (faults.duplicate !== undefined && faults.duplicate > 1) active.duplicate = faults.duplicate;
  if (faults.dropFirst) active.dropFirst = faults.dropFirst;
  if (faults.neverSend) active.neverSend = true;
  if (faults.badSignature) active.badSignature = true;
  if (faults.sendBeforeCashier) active.sendBeforeCashier = true;
  if (faults.refundResult) active.refundResult = faults.refundResult;
  if (faults.refundResult && faults.refundResultTimes !== undefined && faults.refundResultTimes > 1)
    active.refundResultTimes = faults.refundResultTimes;
  return active;
}

/** A payment's own faults win over the global ones, field by field. */
export function effectiveFaults(global: Faults, own: Faults | undefined): Faults {
  return { ...global, ...own };
}
