// Captured HTTP messages, as a user pastes them into `minipay-openapi verify`: the raw text of a request or a
// response (from a log, a proxy, `nc -l`), or a `curl -v` transcript. The body must be the bytes that travelled, so
// its end is read from Content-Length when there is one, and every guess is reported back as a note.

export interface Capture {
  kind: 'request' | 'response';
  /** The request's method: from the request line (a request, or a curl transcript), else undefined. */
  method: string | undefined;
  /** The request target as sent: from the request line, else undefined (a bare response). */
  target: string | undefined;
  /** Header names as written; the first of a repeated name wins, as node:http does for the signing headers. */
  headers: Record<string, string>;
  body: Buffer;
  /** What was assumed while reading, for people (e.g. a final line break dropped). */
  notes: string[];
}

/** Why a capture cannot be read. */
export class CaptureError extends Error {}

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/\d(?:\.\d)?$/;
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? \d{3}\b/;

/** Reads a capture. @throws CaptureError naming what is missing. */
export function parseCapture(input: Buffer): Capture {
  const text = input.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (/^[*<>] /.test(firstLine) || /^\s*\* /.test(firstLine)) return parseCurlTranscript(input);
  return parseRaw(input);
}

function parseRaw(input: Buffer): Capture {
  // Headers end at the first empty line, CRLF or LF (a capture pasted into an editor may have lost the CRs).
  const text = input.toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  const head = (match ? text.slice(0, match.index) : text).replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  const bodyBytes = match ? input.subarray(match.index + match[0].length) : Buffer.alloc(0);
  const [startLine = '', ...lines] = head.split(/\r?\n/);
  const request = REQUEST_LINE.exec(startLine.trim());
  if (!request && !STATUS_LINE.test(startLine.trim())) {
    throw new CaptureError(
      `the capture does not start with a request line ("POST /api/open/v2/payments/pay HTTP/1.1"), a status line ("HTTP/1.1 200 OK") or a curl -v transcript; it starts with ${JSON.stringify(startLine.slice(0, 40))}`,
    );
  }
  const notes: string[] = [];
  if (!match) notes.push('no empty line after the headers: the body is empty');
  const headers = readHeaderLines(lines.map((line) => Buffer.from(line, 'latin1').toString('utf8')));
  return {
    kind: request ? 'request' : 'response',
    method: request?.[1],
    target: request?.[2],
    headers,
    body: exactBody(bodyBytes, headers, notes),
    notes,
  };
}

/**
 * A `curl -v` transcript: `> ` request lines (the method and path), `< ` response lines, `* ` notes, then the response
 * body as printed. curl -v does not show the request body, so a transcript verifies the response.
 */
function parseCurlTranscript(input: Buffer): Capture {
  const lines = input.toString('utf8').split(/\r?\n/);
  const sent: string[] = [];
  const received: string[] = [];
  const bodyLines: string[] = [];
  let headersDone = false;
  for (const line of lines) {
    if (line.startsWith('> ')) sent.push(line.slice(2));
    else if (line.startsWith('<')) {
      const header = line.replace(/^< ?/, '');
      if (header.trim() === '') headersDone = received.length > 0;
      else received.push(header);
    } else if (/^[*{}] /.test(line) || line.startsWith('} [') || line.startsWith('{ [')) continue;
    else if (headersDone) {
      // curl's own "* Connection #0 ... left intact" follows a body without a final line break on the same line.
      const curlNote = line.indexOf('* Connection #');
      if (curlNote >= 0) {
        bodyLines.push(line.slice(0, curlNote));
        break;
      }
      bodyLines.push(line);
    }
  }
  const request = REQUEST_LINE.exec((sent[0] ?? '').trim());
  if (!request)
    throw new CaptureError(
      'the curl -v transcript has no "> POST /path HTTP/1.1" request line: run curl with -v and paste all of its output',
    );
  const status = received.findIndex((line) => STATUS_LINE.test(line.trim()));
  if (status < 0)
    throw new CaptureError('the curl -v transcript has no "< HTTP/1.1 ..." response: it shows no answer to verify');
  const notes = ['a curl -v transcript: the response is verified (curl -v does not show the request body)'];
  const headers = readHeaderLines(received.slice(status + 1));
  // curl prints the body as it came, then a newline of its own unless the body ended with one.
  const body = exactBody(Buffer.from(bodyLines.join('\n'), 'utf8'), headers, notes);
  return { kind: 'response', method: request[1], target: request[2], headers, body, notes };
}

function readHeaderLines(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const known = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (known === undefined) headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The body as Content-Length says; without one, what is there minus one final line break (noted). */
function exactBody(bytes: Buffer, headers: Record<string, string>, notes: string[]): Buffer {
  const lengthHeader = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-length')?.[1];
  if (lengthHeader !== undefined && /^\d+$/.test(lengthHeader)) {
    const length = Number(lengthHeader);
    if (bytes.length > length) {
      const extra = bytes.subarray(length);
      if (!/^\s*$/.test(extra.toString('utf8')))
        notes.push(`${bytes.length - length} bytes after Content-Length ${length} were ignored`);
      return bytes.subarray(0, length);
    }
    if (bytes.length < length)
      notes.push(`the body has ${bytes.length} bytes, fewer than its Content-Length ${length}: it was cut off`);
    return bytes;
  }
  const trimmed = bytes.toString('latin1').replace(/\r?\n$/, '');
  if (trimmed.length !== bytes.length)
    notes.push('no Content-Length: the final line break was taken as the end of the capture, not part of the body');
  return bytes.subarray(0, trimmed.length);
}
