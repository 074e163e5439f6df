import { formatRequestTime, parseRequestTime } from '@minipay/openapi';

describe('formatRequestTime', () => {
  it('writes ISO 8601 with milliseconds and an explicit +00:00 offset', () => {
    expect(formatRequestTime(new Date(Date.UTC(2019, 3, 4, 6, 38, 56, 253)))).toBe('2019-04-04T06:38:56.253+00:00');
  });

  it('defaults to now', () => {
    expect(formatRequestTime()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
  });

  it('refuses an invalid date', () => {
    expect(() => formatRequestTime(new Date(Number.NaN))).toThrow('formatRequestTime needs a valid Date');
  });
});

describe('parseRequestTime', () => {
  it.each([
    ['2019-04-04T12:08:56.253+05:30', Date.UTC(2019, 3, 4, 6, 38, 56, 253)],
    ['2019-04-04T12:08:56+05:30', Date.UTC(2019, 3, 4, 6, 38, 56)],
    ['2019-04-04T12:08:56.253+0530', Date.UTC(2019, 3, 4, 6, 38, 56, 253)],
    ['2019-04-04T06:38:56.253Z', Date.UTC(2019, 3, 4, 6, 38, 56, 253)],
    ['2019-04-04T01:38:56.2531-05:00', Date.UTC(2019, 3, 4, 6, 38, 56, 253)],
  ])('reads %s', (text, ms) => {
    expect(parseRequestTime(text)).toBe(ms);
  });

  it.each([['2019-04-04T12:08:56'], ['2019-04-04 12:08:56+00:00'], ['yesterday'], ['2019-04-04T12:08+00:00']])(
    'refuses %s (no offset, or not ISO 8601 to the second)',
    (text) => {
      expect(parseRequestTime(text)).toBeUndefined();
    },
  );

  it.each([
    ['month 13', '2019-13-04T12:08:56Z'],
    ['day 32', '2019-04-32T12:08:56Z'],
    ['30 February', '2019-02-30T12:08:56Z'],
    ['hour 24', '2019-04-04T24:00:00Z'],
    ['minute 60', '2019-04-04T12:60:56Z'],
    ['second 61', '2019-04-04T12:08:61Z'],
    ['an offset of 99:99', '2019-04-04T12:08:56.253+99:99'],
    ['offset minutes 60', '2019-04-04T12:08:56+05:60'],
  ])('refuses %s instead of rolling it over into another time', (_name, text) => {
    expect(parseRequestTime(text)).toBeUndefined();
  });

  it.each([
    ['29 February of a leap year', '2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['the largest offset, +14:00', '2019-04-05T02:00:00+14:00', Date.UTC(2019, 3, 4, 12)],
    ['the smallest offset, -12:00', '2019-04-04T00:00:00-12:00', Date.UTC(2019, 3, 4, 12)],
  ])('reads %s', (_name, text, ms) => {
    expect(parseRequestTime(text)).toBe(ms);
  });

  it.each([[undefined], [null], [1554379736000]])('answers undefined for %p, which is not a string', (value) => {
    expect(parseRequestTime(value as unknown as string)).toBeUndefined();
  });

  it('round-trips formatRequestTime', () => {
    const date = new Date();
    expect(parseRequestTime(formatRequestTime(date))).toBe(date.getTime());
  });
});
