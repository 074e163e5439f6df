// `Request-Time` / `Response-Time`: ISO 8601 with an offset, at least seconds (seed 002). We write UTC with
// milliseconds and an explicit `+00:00`; we read any offset.
import { OpenApiError } from './errors';

/** `date` (default now) as `2019-04-04T12:08:56.253+00:00`. */
export function formatRequestTime(date: Date = new Date()): string {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new OpenApiError('formatRequestTime needs a valid Date', { code: 'INVALID_ARGUMENT' });
  }
  return date.toISOString().replace('Z', '+00:00');
}

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Milliseconds since the epoch of an ISO 8601 time with an offset (or `Z`), or `undefined` when it is not
 * one. A time without an offset is refused: its meaning would depend on the reader's time zone. So is a field out
 * of range (month 13, 30 February, hour 24, offset +99:99), which `Date.UTC` would silently roll over into
 * another, plausible time.
 */
export function parseRequestTime(value: string): number | undefined {
  const match = typeof value === 'string' ? ISO_WITH_OFFSET.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone, sign, oh, om] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const offsetMinutes = zone === 'Z' ? 0 : Number(oh) * 60 + Number(om);
  if (hour > 23 || minute > 59 || second > 59 || Number(oh ?? 0) > 23 || Number(om ?? 0) > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, fraction ? Number((fraction + '00').slice(0, 3)) : 0));
  // Date.UTC maps years 0-99 to 19xx; setUTCFullYear keeps the year as written.
  date.setUTCFullYear(year);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const ms = date.getTime() - (sign === '-' ? -offsetMinutes : offsetMinutes) * 60_000;
  return Number.isFinite(ms) ? ms : undefined;
}

/** `now` as the options of this package accept it: a Date, a clock function, or nothing (the system clock). */
export type Clock = Date | (() => Date);

/**
 * The time `now` gives. @throws OpenApiError `INVALID_ARGUMENT` when it is not a valid Date: an invalid one would
 * compare false with everything and so switch the replay window off instead of failing.
 */
export function readClock(now: Clock | undefined): Date {
  if (now === undefined) return new Date();
  const date: unknown = typeof now === 'function' ? now() : now;
  if (!(date instanceof Date) || !Number.isFinite(date.getTime())) {
    throw new OpenApiError(`now must be a valid Date or a function returning one, got ${date instanceof Date ? 'an invalid Date' : typeof date}`, {
      code: 'INVALID_ARGUMENT',
    });
  }
  return date;
}
