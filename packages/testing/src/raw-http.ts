// HTTP/1.1 over a raw node:net socket: the request goes out byte for byte (its request line in absolute form if
// so written, header names in their case, duplicates kept), and the answer comes back as received, header names
// in the case the server wrote them. fetch and node:http normalise both, which is exactly what these tests check.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  statusLine: string;
  /** Every header line as received: [name in its case, value]. */
  headers: Array<[string, string]>;
  /** The status line and header lines as received, joined by CRLF (what curl hands the PHP SDK). */
  head: string;
  body: string;
}

/** The value of the first header named exactly `name` (case-sensitive), as a case-sensitive client looks it up. */
export function exactHeader(response: RawResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key === name)?.[1];
}

/** The value of the first header named `name` in any case. */
export function anyCaseHeader(response: RawResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  return response.headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}

/** Sends `request` (a whole HTTP/1.1 message) to `origin` (`http://host:port`) and reads one answer. */
export function sendRaw(origin: string, request: Buffer | string, timeoutMs = 10_000): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | undefined, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response as RawResponse);
    };
    const timer = setTimeout(
      () => finish(new Error(`no complete answer from ${origin} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const response = parseResponse(Buffer.concat(chunks));
      if (response) finish(undefined, response);
    });
    socket.on('end', () => {
      const response = parseResponse(Buffer.concat(chunks));
      finish(response ? undefined : new Error(`${origin} closed the connection without a complete answer`), response);
    });
    socket.on('error', (error) => finish(error));
  });
}

/** A complete response in `bytes`, or undefined while more is to come. */
export function parseResponse(bytes: Buffer): RawResponse | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = bytes.subarray(0, end).toString('latin1');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const rest = bytes.subarray(end + 4);
  const find = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1];
  let body: Buffer;
  if (/chunked/i.test(find('transfer-encoding') ?? '')) {
    const decoded = decodeChunked(rest);
    if (!decoded) return undefined;
    body = decoded;
  } else {
    const length = Number(find('content-length') ?? 0);
    if (rest.length < length) return undefined;
    body = rest.subarray(0, length);
  }
  return { status: Number(statusLine.split(' ')[1]), statusLine, headers, head, body: body.toString('utf8') };
}

function decodeChunked(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
