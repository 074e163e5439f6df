// What of an error reaches a log line: class, code and message, whatever realm the error was made in.
import { runInNewContext } from 'node:vm';
import { errorSummary, isError } from '../src/internal/error-summary';

test.each([
  [
    'an Error of this realm',
    Object.assign(new RangeError('out of range'), { code: 'E_RANGE' }),
    { name: 'RangeError', code: 'E_RANGE', message: 'out of range' },
  ],
  [
    'an Error made in another realm (instanceof Error is false there)',
    runInNewContext('Object.assign(new TypeError("bad type"), { code: "E_TYPE" })') as unknown,
    { name: 'TypeError', code: 'E_TYPE', message: 'bad type' },
  ],
  [
    "an error built like better-sqlite3's SqliteError (Error.call, another realm: neither instanceof nor native)",
    runInNewContext(
      'function SqliteError(m, c) { Error.call(this, m); this.message = m; this.code = c; Error.captureStackTrace(this, SqliteError); }' +
        ' SqliteError.prototype = Object.create(Error.prototype); SqliteError.prototype.name = "SqliteError";' +
        ' new SqliteError("no such table: t", "SQLITE_ERROR")',
    ) as unknown,
    { name: 'SqliteError', code: 'SQLITE_ERROR', message: 'no such table: t' },
  ],
  ['a thrown string', 'plain text', { name: 'unknown', message: 'plain text' }],
])('errorSummary of %s', (_name, error, summary) => {
  expect(errorSummary(error)).toEqual(summary);
});

test('a summary already made (name and message, no stack) is not taken for an error, so the log serializer keeps it as is', () => {
  expect(isError({ name: 'SqliteError', code: 'SQLITE_ERROR', message: 'no such table: t' })).toBe(false);
});
