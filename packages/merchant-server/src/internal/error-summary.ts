// What of an error goes into a log line.
import { types } from 'node:util';

/**
 * Whether `value` is an Error, also one made in another realm (a `vm` context, or better-sqlite3's SqliteError
 * when its class was set up by another module registry, as under jest), where `instanceof Error` is false.
 * SqliteError is built with `Error.call(this)`, so it is not even a native error: an object with a string name,
 * message and stack counts too. A summary (no stack) does not.
 */
export function isError(value: unknown): value is Error {
  if (value instanceof Error || types.isNativeError(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { name, message, stack } = value as { name?: unknown; message?: unknown; stack?: unknown };
  return typeof name === 'string' && typeof message === 'string' && typeof stack === 'string';
}

/** An error for a log line: its class, code and message, never its cause chain (which may quote a request). */
export function errorSummary(error: unknown): { name: string; code?: string; message: string } {
  if (isError(error)) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message };
  }
  return { name: 'unknown', message: String(error) };
}
