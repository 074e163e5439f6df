import { ACCEPTED_TIME_FORMS, formatRequestTime, parseIsoTime, parseRequestTime } from '@minipay/openapi';

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

  // What the platform's own SDKs send (their sources: Java BaseAlipayClient and Go's client use epoch milliseconds,
  // Python datetime.isoformat() to the second, PHP date(DATE_ISO8601), .NET DateTime.UtcNow.ToString("o")).
  it.each([
    ['Java / Go: epoch milliseconds', '1796114156235', 1796114156235],
    ['Python: to the second, +00:00', '2026-12-01T08:26:32+00:00', Date.UTC(2026, 11, 1, 8, 26, 32)],
    ['PHP: +0000', '2026-12-01T08:26:32+0000', Date.UTC(2026, 11, 1, 8, 26, 32)],
    ['PHP in another zone: +0800', '2026-12-01T16:26:32+0800', Date.UTC(2026, 11, 1, 8, 26, 32)],
    ['.NET: 7 fraction digits and Z', '2026-12-01T08:26:32.1234567Z', Date.UTC(2026, 11, 1, 8, 26, 32, 123)],
    ['9 fraction digits', '2026-12-01T08:26:32.123456789+00:00', Date.UTC(2026, 11, 1, 8, 26, 32, 123)],
    ['1 fraction digit', '2026-12-01T08:26:32.5Z', Date.UTC(2026, 11, 1, 8, 26, 32, 500)],
  ])('reads the form of %s: %s', (_name, text, ms) => {
    expect(parseRequestTime(text)).toBe(ms);
  });

  it.each([
    ['epoch seconds', '1796114156'],
    ['14 digits', '17961141562350'],
    ['10 fraction digits', '2026-12-01T08:26:32.1234567890Z'],
    ['a lowercase z', '2026-12-01T08:26:32z'],
    ['a fraction without digits', '2026-12-01T08:26:32.Z'],
    ['epoch milliseconds with a sign', '+1796114156235'],
  ])('refuses %s (%s)', (_name, text) => {
    expect(parseRequestTime(text)).toBeUndefined();
  });

  it('ACCEPTED_TIME_FORMS names every form, with examples that parse', () => {
    expect(ACCEPTED_TIME_FORMS).toMatch(/ISO 8601.*Z, \+hh:mm or \+hhmm.*0-9 fraction digits.*epoch milliseconds/);
    for (const example of ACCEPTED_TIME_FORMS.match(/\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d|\b\d{13}\b/g) ?? []) {
      expect(parseRequestTime(example)).toEqual(expect.any(Number));
    }
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

describe('parseIsoTime (times in a body)', () => {
  it('reads ISO 8601 with an offset, as parseRequestTime does', () => {
    expect(parseIsoTime('2019-04-04T12:08:56.253+05:30')).toBe(Date.UTC(2019, 3, 4, 6, 38, 56, 253));
    expect(parseIsoTime('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
  });

  it.each([
    ['30 February', '2026-02-30T10:00:00+08:00'],
    ['29 February of a common year', '2027-02-29T10:00:00Z'],
    ['31 April', '2026-04-31T10:00:00Z'],
    ['month 13', '2026-13-01T10:00:00Z'],
    ['month 0', '2026-00-10T10:00:00Z'],
    ['day 0', '2026-03-00T10:00:00Z'],
    ['hour 24', '2026-03-01T24:00:00Z'],
    ['minute 60', '2026-03-01T10:60:00Z'],
    ['second 60', '2026-03-01T10:00:60Z'],
    ['offset +24:00', '2026-03-01T10:00:00+24:00'],
    ['epoch milliseconds (a header form, never a body one)', '1796114156235'],
    ['no offset', '2026-03-01T10:00:00'],
  ])('refuses %s (%s) instead of rolling it over', (_name, text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });
});
