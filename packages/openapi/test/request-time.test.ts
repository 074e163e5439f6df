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

  it('round-trips formatRequestTime', () => {
    const date = new Date();
    expect(parseRequestTime(formatRequestTime(date))).toBe(date.getTime());
  });
});
