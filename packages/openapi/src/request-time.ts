// `Request-Time` / `Response-Time`. The seed says ISO 8601 with an offset, at least seconds; the platform's own SDKs
// also send epoch milliseconds (Java's BaseAlipayClient, Go's client), `+hhmm` offsets (PHP's DATE_ISO8601) and
// seven fraction digits (.NET's "o" format). We read all of those and write UTC with milliseconds and `+00:00`.
import { OpenApiError } from './errors';

/** The forms a time header may take, as error messages and the signature doctor list them. */
export const ACCEPTED_TIME_FORMS =
  'ISO 8601 with seconds and Z, +hh:mm or +hhmm (0-9 fraction digits), e.g. 2026-12-01T08:26:32.253+08:00, ' +
  'or epoch milliseconds, e.g. 1796114156235';

/** Which accepted form a time header has. */
export type TimeForm = 'iso8601' | 'epoch-millis';

/** `date` (default now) as `2019-04-04T12:08:56.253+00:00`. */
export function formatRequestTime(date: Date = new Date()): string {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new OpenApiError('formatRequestTime needs a valid Date', { code: 'INVALID_ARGUMENT' });
  }
  return date.toISOString().replace('Z', '+00:00');
}

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):?(\d{2}))$/;
// 13 digits: the milliseconds of 2001-09-09 to 2286-11-20. Fewer digits are most likely epoch seconds, which no
// SDK sends and which would read as a time in 1970.
const EPOCH_MILLIS = /^[1-9]\d{12}$/;

/**
 * Milliseconds since the epoch of an accepted time header (see `ACCEPTED_TIME_FORMS`), or `undefined` when it is
 * not one. A time without an offset is refused: its meaning would depend on the reader's time zone. So is a field
 * out of range (month 13, 30 February, hour 24, offset +99:99), which `Date.UTC` would silently roll over into
 * another, plausible time.
 */
export function parseRequestTime(value: string): number | undefined {
  return readTime(value)?.ms;
}

/**
 * Milliseconds since the epoch of a time in a message body (`paymentExpiryTime`, `paymentTime`, a token's expiry...):
 * ISO 8601 with seconds and an offset only (the bodies never carry epoch milliseconds), checked against the calendar
 * like a header (30 February, hour 24 and month 13 are refused, never rolled over). `undefined` when it is not one.
 * The one parser of times on the wire: every package reads them with this or `parseRequestTime`.
 */
export function parseIsoTime(value: string): number | undefined {
  const time = readTime(value);
  return time?.form === 'iso8601' ? time.ms : undefined;
}

/** The instant and the form of an accepted time header, or `undefined`. */
export function readTime(value: string): { ms: number; form: TimeForm } | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (EPOCH_MILLIS.test(text)) return { ms: Number(text), form: 'epoch-millis' };
  const match = ISO_WITH_OFFSET.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone, sign, oh, om] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offsetMinutes = zone === 'Z' ? 0 : Number(oh) * 60 + Number(om);
  if (hour > 23 || minute > 59 || second > 59 || Number(oh ?? 0) > 23 || Number(om ?? 0) > 59) return undefined;
  const date = new Date(
    Date.UTC(year, month - 1, day, hour, minute, second, fraction ? Number((fraction + '00').slice(0, 3)) : 0),
  );
  // Date.UTC maps years 0-99 to 19xx; setUTCFullYear keeps the year as written.
  date.setUTCFullYear(year);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const ms = date.getTime() - (sign === '-' ? -offsetMinutes : offsetMinutes) * 60_000;
  return Number.isFinite(ms) ? { ms, form: 'iso8601' } : undefined;
}

/**
 * What is wrong with a time header that `readTime` refuses, as a short hint for people: the usual near misses
 * (epoch seconds, no offset, a space for "T", minutes only, more than 9 fraction digits).
 */
export function timeFormHint(value: string): string {
  const text = String(value).trim();
  if (/^\d{10}$/.test(text)) return 'epoch seconds? send milliseconds';
  if (/^\d+$/.test(text)) return `${text.length} digits; epoch milliseconds have 13`;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text)) return 'a space for "T"';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})?$/.test(text)) return 'no seconds';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{10,}/.test(text)) return 'over 9 fraction digits';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text)) return 'no offset';
  if (/^\d{4}-\d{2}-\d{2}t/.test(text) || /\dz$/.test(text)) return 'a lowercase "t" or "z"';
  if (ISO_LIKE.test(text)) return 'a field out of range';
  return 'not a time';
}

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

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
    throw new OpenApiError(
      `now must be a valid Date or a function returning one, got ${date instanceof Date ? 'an invalid Date' : typeof date}`,
      {
        code: 'INVALID_ARGUMENT',
      },
    );
  }
  return date;
}
