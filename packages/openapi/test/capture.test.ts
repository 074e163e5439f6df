// Reading captures for `minipay-openapi verify`: where the body ends, and what was assumed to find it.
import { CaptureError, parseCapture } from '../src/internal/capture';

const capture = (text: string) => parseCapture(Buffer.from(text, 'utf8'));

describe('parseCapture', () => {
  test('a request: method, target as sent (absolute form too), headers, the body by Content-Length', () => {
    const read = capture(
      'POST http://127.0.0.1:8210/api/open/v2/payments/pay HTTP/1.1\r\nClient-Id: C\r\nContent-Length: 7\r\n\r\n{"a":1}\n',
    );
    expect(read).toMatchObject({
      kind: 'request',
      method: 'POST',
      target: 'http://127.0.0.1:8210/api/open/v2/payments/pay',
      headers: { 'Client-Id': 'C' },
      notes: [],
    });
    expect(read.body.toString()).toBe('{"a":1}');
  });

  test('a response, LF line ends and a UTF-8 BOM from an editor: read all the same', () => {
    const read = capture('\uFEFFHTTP/1.1 200 OK\nsignature: s\ncontent-length: 10\n\n{"b":"é"}');
    expect(read).toMatchObject({ kind: 'response', method: undefined, target: undefined, headers: { signature: 's' } });
    expect(read.body.toString()).toBe('{"b":"é"}');
  });

  test("bytes after Content-Length are ignored and noted; whitespace (an editor's line break) silently", () => {
    expect(capture('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}\r\n').notes).toEqual([]);
    expect(capture('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}xyz').notes).toEqual([
      '3 bytes after Content-Length 2 were ignored',
    ]);
  });

  test('a body shorter than its Content-Length is noted as cut off', () => {
    expect(capture('HTTP/1.1 200 OK\r\ncontent-length: 20\r\n\r\n{}').notes).toEqual([
      'the body has 2 bytes, fewer than its Content-Length 20: it was cut off',
    ]);
  });

  test('a repeated header: the first counts, as node:http reads the signing headers', () => {
    expect(capture('POST /p HTTP/1.1\r\nSignature: one\r\nsignature: two\r\n\r\n').headers).toEqual({
      Signature: 'one',
    });
  });

  test('a curl -v transcript over HTTP/2: the request line gives method and path, the response is read', () => {
    const read = capture(
      '* ALPN: server accepted h2\n> POST /api/open/v2/payments/pay HTTP/2\n> host: wallet.example\n>\n< HTTP/2 200\n< content-length: 2\n< signature: s\n<\n{}\n* Connection #0 to host wallet.example left intact\n',
    );
    expect(read).toMatchObject({
      kind: 'response',
      method: 'POST',
      target: '/api/open/v2/payments/pay',
      headers: { signature: 's' },
    });
    expect(read.body.toString()).toBe('{}');
  });

  test.each([
    ['plain text', 'hello', /does not start with a request line/],
    [
      'a curl transcript without a request line',
      '< HTTP/1.1 200 OK\n<\n{}',
      /no "> POST \/path HTTP\/1\.1" request line/,
    ],
    [
      'a curl transcript without an answer',
      '> POST /p HTTP/1.1\n>\n* Connection died',
      /no "< HTTP\/1\.1 \.\.\." response/,
    ],
  ])('refuses %s with a CaptureError saying what is missing', (_name, text, message) => {
    expect(() => capture(text)).toThrow(CaptureError);
    expect(() => capture(text)).toThrow(message);
  });
});
