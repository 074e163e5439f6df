import { ProtocolError } from '../errors';
import type { Amount, Result, ResultStatus } from '../types';

/** Every `resultStatus` of the wire, in one place: reading answers and signing acknowledgements both check it. */
export const RESULT_STATUSES: readonly ResultStatus[] = ['S', 'F', 'U', 'A', 'R'];

export function isResultStatus(value: unknown): value is ResultStatus {
  return typeof value === 'string' && (RESULT_STATUSES as readonly string[]).includes(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(message: string, httpStatus?: number): ProtocolError {
  return new ProtocolError(message, { code: 'MALFORMED_BODY', ...(httpStatus === undefined ? {} : { httpStatus }) });
}

/**
 * The `result` object at `field` of `body` (`"result"` in an answer, `"paymentResult"` in a notification), checked:
 * a status of the wire, a non-empty code, an optional message. @throws ProtocolError `MALFORMED_BODY` naming the field.
 */
export function readResult(body: unknown, field: string, httpStatus?: number): Result {
  if (!isObject(body)) throw malformed(`the body must be a JSON object with "${field}"`, httpStatus);
  const result = body[field];
  if (!isObject(result)) throw malformed(`"${field}" is missing or not an object`, httpStatus);
  const { resultStatus, resultCode, resultMessage } = result;
  if (!isResultStatus(resultStatus)) {
    throw malformed(`"${field}.resultStatus" must be one of S, A, R, U, F`, httpStatus);
  }
  if (typeof resultCode !== 'string' || resultCode === '') {
    throw malformed(`"${field}.resultCode" is missing or not a string`, httpStatus);
  }
  if (resultMessage !== undefined && resultMessage !== null && typeof resultMessage !== 'string') {
    throw malformed(`"${field}.resultMessage" is not a string`, httpStatus);
  }
  return result as unknown as Result;
}

/** A non-empty string at `field`. */
export function readString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw malformed(`"${field}" is missing or not a non-empty string`);
  return value;
}

/** An `Amount` at `field`: a currency and an integer number of minor units as a string. */
export function readAmount(body: Record<string, unknown>, field: string): Amount {
  const value = body[field];
  if (!isObject(value)) throw malformed(`"${field}" is missing or not an object`);
  if (typeof value.currency !== 'string' || !/^[A-Z]{3}$/.test(value.currency)) {
    throw malformed(`"${field}.currency" must be an ISO 4217 code like "USD"`);
  }
  if (typeof value.value !== 'string' || !/^\d+$/.test(value.value)) {
    throw malformed(`"${field}.value" must be an integer number of minor units as a string, e.g. "10000"`);
  }
  return value as unknown as Amount;
}

export { isObject };
