// Requests exactly as the platform's official SDKs build them (alipay/global-open-sdk-java, -python, -php, -dotnet,
// -go, read from their sources): the Request-Time format, the header names in their case and order, the Signature
// layout and its URL-encoding, the body's JSON layout and the request-line form. Signed by the openssl CLI with the
// committed test keys, never by this project's own signing code, so that a server accepting them speaks the SDKs'
// wire and not merely our own.
import { opensslSign } from './openssl';

export type SdkName = 'java' | 'python' | 'php' | 'dotnet' | 'go';

export const SDK_NAMES: readonly SdkName[] = ['java', 'python', 'php', 'dotnet', 'go'];

interface HeaderFields {
  host: string;
  clientId: string;
  time: string;
  signature: string;
  contentLength: number;
}

interface SdkShape {
  /** What the shape is, from the SDK's source: for test names. */
  description: string;
  time(now: Date): string;
  serialize(body: Record<string, unknown>): string;
  /** The SDK's URL-encoding of the Base64 signature. */
  encode(base64: string): string;
  /** The request line's target: origin form, or absolute form. */
  target(origin: string, path: string): string;
  /** The header lines after the request line, as the SDK's HTTP client writes them. */
  headers(fields: HeaderFields): string[];
}

const signatureHeader = (value: string) => `algorithm=RSA256,keyVersion=1,signature=${value}`;
const originForm = (_origin: string, path: string) => path;
const epochMillis = (now: Date) => String(now.getTime());

/** `\uXXXX` for a UTF-16 code unit, in the SDK's case of hex digits. */
const u = (character: string, upper = false) => {
  const hex = character.charCodeAt(0).toString(16).padStart(4, '0');
  return `\\u${upper ? hex.toUpperCase() : hex}`;
};

/**
 * JSON written the way an SDK's serializer writes it: `indent` per level ('' for one line), the separators, the
 * characters it escapes inside strings (beyond JSON.stringify's quote, backslash and control characters), and
 * whether it sorts object keys.
 */
function json(
  value: unknown,
  style: { indent: string; comma: string; colon: string; escape?: RegExp; upper?: boolean; sort?: boolean },
  depth = 0,
): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return style.escape ? quoted.replace(style.escape, (c) => u(c, style.upper)) : quoted;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const isArray = Array.isArray(value);
  const record = value as Record<string, unknown>;
  const keys = isArray ? [] : style.sort ? Object.keys(record).sort() : Object.keys(record);
  const items = isArray
    ? (value as unknown[]).map((item) => json(item, style, depth + 1))
    : keys.map((key) => `${json(key, style, depth + 1)}${style.colon}${json(record[key], style, depth + 1)}`);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return open + close;
  if (!style.indent) return open + items.join(style.comma) + close;
  const pad = (level: number) => `\n${style.indent.repeat(level)}`;
  return open + pad(depth + 1) + items.join(style.comma + pad(depth + 1)) + pad(depth) + close;
}

const SHAPES: Record<SdkName, SdkShape> = {
  java: {
    description:
      'Java (BaseAlipayClient + DefaultHttpRPC): epoch milliseconds, compact fastjson with sorted fields, lowercase client-id',
    time: epochMillis,
    // fastjson: one line, bean fields in alphabetical order, non-ASCII and "/" as they are.
    serialize: (body) => json(body, { indent: '', comma: ',', colon: ':', sort: true }),
    // URLEncoder.encode: %2B %2F %3D.
    encode: (base64) => encodeURIComponent(base64),
    target: originForm,
    headers: (f) => [
      'Accept: text/plain,text/xml,text/javascript,text/html',
      'User-Agent: global-open-sdk-java/2.2.8',
      'Content-Type: application/json; charset=UTF-8',
      'Connection: keep-alive',
      `Request-Time: ${f.time}`,
      `client-id: ${f.clientId}`,
      `Signature: ${f.signature}`,
      `Host: ${f.host}`,
      `Content-Length: ${f.contentLength}`,
    ],
  },
  python: {
    description:
      'Python (DefaultAlipayClient + http.client): ISO 8601 to the second with +00:00, json.dumps(indent=3), absolute-form request line',
    time: (now) => new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', '+00:00'),
    // json.dumps(indent=3): "," between items, ": " after keys, ensure_ascii (lowercase \u escapes).
    serialize: (body) => json(body, { indent: '   ', comma: ',', colon: ': ', escape: /[\u0080-\uffff]/g }),
    // quote_plus: %2B %2F %3D (there are no spaces in Base64).
    encode: (base64) => encodeURIComponent(base64),
    // http.client's request("POST", url) with the whole URL.
    target: (origin, path) => `${origin}${path}`,
    headers: (f) => [
      `Host: ${f.host}`,
      'Accept-Encoding: identity',
      `Content-Length: ${f.contentLength}`,
      'Content-type: application/json; charset=UTF-8',
      'Accept: text/plain,text/xml,text/javascript,text/html',
      'Cache-Control: no-cache',
      'Connection: Keep-Alive',
      'User-Agent: global-open-sdk-python/1.5.5',
      `Request-Time: ${f.time}`,
      `client-id: ${f.clientId}`,
      `Signature: ${f.signature}`,
    ],
  },
  php: {
    description:
      'PHP (BaseAlipayClient + curl): date(DATE_ISO8601) with +0000, json_encode (escaped slashes, \\u escapes), "Name:value" header lines',
    time: (now) => new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', '+0000'),
    // json_encode: one line, "/" as "\/", non-ASCII as lowercase \u escapes.
    serialize: (body) =>
      json(body, { indent: '', comma: ',', colon: ':', escape: /[\u0080-\uffff]/g }).replace(/\//g, '\\/'),
    // urlencode: %2B %2F %3D.
    encode: (base64) => encodeURIComponent(base64),
    target: originForm,
    // CURLOPT_HTTPHEADER lines go out as given: no space after the colon.
    headers: (f) => [
      `Host: ${f.host}`,
      'Accept: */*',
      'Content-Type:application/json; charset=UTF-8',
      `Request-Time:${f.time}`,
      `client-id:${f.clientId}`,
      `Signature:${f.signature}`,
      'User-Agent:global-open-sdk-php/1.5.5',
      `Content-Length: ${f.contentLength}`,
    ],
  },
  dotnet: {
    description:
      '.NET (AMSRequest + HttpClient): DateTime.UtcNow.ToString("o") with 7 fraction digits, HttpUtility.UrlEncode (lowercase %2b), System.Text.Json with nulls, lowercase header names',
    time: (now) => now.toISOString().replace('Z', '0000Z'),
    // System.Text.Json: one line, unset properties written as null (IgnoreNullValues = false), and its default
    // encoder escapes non-ASCII and the HTML-sensitive characters as uppercase \u escapes.
    serialize: (body) =>
      json(
        { ...body, extendInfo: body.extendInfo ?? null },
        { indent: '', comma: ',', colon: ':', escape: /[\u0080-\uffff<>&'+`]/g, upper: true },
      ),
    encode: (base64) => encodeURIComponent(base64).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    target: originForm,
    headers: (f) => [
      `Host: ${f.host}`,
      `client-id: ${f.clientId}`,
      `signature: ${f.signature}`,
      `request-time: ${f.time}`,
      'User-Agent: global-open-sdk-dotnet/2.2.5',
      'X-sdkVersion: ams-dotnet.20201113',
      'Content-Type: application/json; charset=UTF-8',
      `Content-Length: ${f.contentLength}`,
    ],
  },
  go: {
    description:
      'Go (DefaultAlipayClient + net/http): epoch milliseconds, json.Marshal, canonical header names, two Content-Type lines, an empty Agent-Token',
    time: epochMillis,
    // json.Marshal: one line, struct field order, <, > and & as lowercase \u escapes, non-ASCII as it is.
    serialize: (body) => json(body, { indent: '', comma: ',', colon: ':', escape: /[<>&\u2028\u2029]/g }),
    // url.QueryEscape: %2B %2F %3D.
    encode: (base64) => encodeURIComponent(base64),
    target: originForm,
    // Request.write: Host, User-Agent, Content-Length, then the other headers sorted by name, then the transport's
    // Accept-Encoding. Header.Set("Content-type") and Header.Add("Content-Type") make two values of one header.
    headers: (f) => [
      `Host: ${f.host}`,
      'User-Agent: global-open-sdk-go/1.3.5',
      `Content-Length: ${f.contentLength}`,
      'Agent-Token: ',
      `Client-Id: ${f.clientId}`,
      'Content-Type: application/json',
      'Content-Type: application/json; charset=UTF-8',
      'Key-Version: 1',
      `Request-Time: ${f.time}`,
      'Sdk-Version: global-open-sdk-go',
      `Signature: ${f.signature}`,
      'Accept-Encoding: gzip',
    ],
  },
};

/** What the shape of `sdk` is, for test names. */
export function sdkDescription(sdk: SdkName): string {
  return SHAPES[sdk].description;
}

export interface SdkRequestOptions {
  /** Where it goes, `http://127.0.0.1:<port>`: the Host header, and the absolute-form target. */
  origin: string;
  /** The path it is sent to. */
  path: string;
  /** The path it signs, when not `path` (the Go SDK with a gateway URL that ends in the wallet's prefix). */
  signedPath?: string;
  clientId: string;
  /** The request object, serialised the SDK's way. */
  body: Record<string, unknown>;
  /** The signer's private key (PEM), for the openssl CLI. */
  privateKeyFile: string;
  /** Default now. */
  now?: Date;
}

export interface SdkRequest {
  sdk: SdkName;
  /** The whole HTTP/1.1 message, byte for byte as the SDK's HTTP client writes it. */
  message: string;
  requestLine: string;
  time: string;
  body: string;
  /** The Signature header value. */
  signature: string;
  /** What was signed: `POST <signed path>\n<Client-Id>.<Request-Time>.<body>`. */
  signedContent: string;
  /** The same message with one character of the body changed after signing (the negative control). */
  tampered: string;
}

/** A request exactly as `sdk` builds it, signed by the openssl CLI. */
export function sdkRequest(sdk: SdkName, options: SdkRequestOptions): SdkRequest {
  const shape = SHAPES[sdk];
  const time = shape.time(options.now ?? new Date());
  const body = shape.serialize(options.body);
  const signedContent = `POST ${options.signedPath ?? options.path}\n${options.clientId}.${time}.${body}`;
  const signature = signatureHeader(
    shape.encode(opensslSign(signedContent, options.privateKeyFile).toString('base64')),
  );
  const requestLine = `POST ${shape.target(options.origin, options.path)} HTTP/1.1`;
  const host = new URL(options.origin).host;
  const message = (text: string) =>
    [
      requestLine,
      ...shape.headers({ host, clientId: options.clientId, time, signature, contentLength: Buffer.byteLength(text) }),
      '',
      text,
    ].join('\r\n');
  return {
    sdk,
    message: message(body),
    requestLine,
    time,
    body,
    signature,
    signedContent,
    tampered: message(tamper(body)),
  };
}

/** The body with its last digit changed (or, without digits, its last letter's case): the same length, still JSON. */
function tamper(body: string): string {
  const digit = body.search(/\d(?=\D*$)/);
  if (digit >= 0) return body.slice(0, digit) + String((Number(body[digit]) + 1) % 10) + body.slice(digit + 1);
  const letter = body.search(/[A-Za-z](?=[^A-Za-z]*$)/);
  if (letter < 0) throw new Error('the fixture body needs a digit or a letter to tamper with');
  const c = body[letter] as string;
  return body.slice(0, letter) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + body.slice(letter + 1);
}
