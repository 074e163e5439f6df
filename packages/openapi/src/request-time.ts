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
 * one. A time without an offset is refused: its meaning would depend on the reader's time zone.
 */
export function parseRequestTime(value: string): number | undefined {
  const match = ISO_WITH_OFFSET.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone, sign, oh, om] = match;
  const millis = fraction ? Number((fraction + '00').slice(0, 3)) : 0;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis);
  if (zone !== 'Z') {
    const offset = (Number(oh) * 60 + Number(om)) * 60_000;
    ms -= sign === '-' ? -offset : offset;
  }
  return Number.isFinite(ms) ? ms : undefined;
}

/** `now` as the options of this package accept it: a Date, a clock function, or nothing (the system clock). */
export type Clock = Date | (() => Date);

export function readClock(now: Clock | undefined): Date {
  if (now === undefined) return new Date();
  return typeof now === 'function' ? now() : now;
}
