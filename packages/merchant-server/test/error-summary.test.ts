// What of an error reaches a log line: class, code and message, whatever realm the error was made in.
import { runInNewContext } from 'node:vm';
import { errorSummary } from '../src/internal/error-summary';

test.each([
  ['an Error of this realm', Object.assign(new RangeError('out of range'), { code: 'E_RANGE' }), { name: 'RangeError', code: 'E_RANGE', message: 'out of range' }],
  [
    'an Error made in another realm (instanceof Error is false there)',
    runInNewContext('Object.assign(new TypeError("bad type"), { code: "E_TYPE" })') as unknown,
    { name: 'TypeError', code: 'E_TYPE', message: 'bad type' },
  ],
  ['a thrown string', 'plain text', { name: 'unknown', message: 'plain text' }],
])('errorSummary of %s', (_name, error, summary) => {
  expect(errorSummary(error)).toEqual(summary);
});
