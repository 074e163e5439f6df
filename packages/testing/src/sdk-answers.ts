// Answers read the way each official SDK reads them (from their sources), re-told here: which status it insists
// on, how it looks the headers up (exact lowercase names for Python and PHP, any case for the others), how it cuts
// the signature out of the Signature header (after the last "=" for PHP), how it URL-decodes it, and which path and
// Client-Id it verifies with (the URL's full path and the answer's Client-Id for Go). The verification itself is
// the openssl CLI's.
import { anyCaseHeader, exactHeader, type RawResponse } from './raw-http';
import { opensslVerify } from './openssl';
import type { SdkName } from './sdk-requests';

/** What the SDK makes of an answer. */
export type AnswerReading =
  /** Signature checked and good: the SDK returns the body. */
  | { outcome: 'verified'; body: unknown }
  /** The SDK found no signature (or no time) it could read and returns the body unchecked (Java, PHP do). */
  | { outcome: 'unverified'; body: unknown; why: string }
  /** The SDK throws. */
  | { outcome: 'refused'; why: string };

export interface AnsweredRequest {
  method: string;
  /** The path the SDK signed its request over (and verifies the answer with, except Go). */
  signedPath: string;
  /** The path of the URL it sent to (Go verifies with it). Default `signedPath`. */
  urlPath?: string;
  /** The Client-Id it sent. */
  clientId: string;
}

/** Reads `response` as `sdk` would, verifying with the responder's public key file. */
export function readAnswerAs(
  sdk: SdkName,
  response: RawResponse,
  request: AnsweredRequest,
  publicKeyFile: string,
): AnswerReading {
  return READERS[sdk](response, request, publicKeyFile);
}

type Reader = (response: RawResponse, request: AnsweredRequest, publicKeyFile: string) => AnswerReading;

const refused = (why: string): AnswerReading => ({ outcome: 'refused', why });

function check(
  response: RawResponse,
  request: AnsweredRequest,
  path: string,
  clientId: string,
  time: string,
  signature: Buffer | undefined,
  key: string,
): AnswerReading {
  if (!signature) return refused('the signature is not Base64');
  const content = `${request.method} ${path}\n${clientId}.${time}.${response.body}`;
  if (!opensslVerify(content, signature, key)) return refused('the signature does not verify');
  const body = parseJson(response.body);
  return body === undefined ? refused('the body is not JSON') : { outcome: 'verified', body };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function hasResult(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { result?: unknown }).result === 'object';
}

/** application/x-www-form-urlencoded decoding (Java URLDecoder, Python unquote_plus, PHP urldecode, .NET UrlDecode, Go QueryUnescape). */
function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Strict Base64 (Java's Base64 decoder, Go's StdEncoding): anything outside the alphabet fails. */
function strictBase64(text: string | undefined): Buffer | undefined {
  return text !== undefined && /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0
    ? Buffer.from(text, 'base64')
    : undefined;
}

/** Lenient Base64 (Python's b64decode, PHP's base64_decode): characters outside the alphabet are dropped. */
function lenientBase64(text: string): Buffer {
  return Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
}

const READERS: Record<SdkName, Reader> = {
  // DefaultHttpRPC + BaseAlipayClient: HTTP 200 or an exception; getHeaderField is case-insensitive; the signature
  // is the third comma-separated item, split on "=" into exactly two parts; no signature or no response-time → the
  // answer is returned unchecked; URLDecoder.decode, then Base64; verified with the request's path and Client-Id.
  java: (response, request, key) => {
    if (response.status !== 200) return refused(`HTTP ${response.status}: "Response data error"`);
    const body = parseJson(response.body);
    if (!hasResult(body)) return refused('"Response data error, result field is null"');
    const header = anyCaseHeader(response, 'signature');
    const time = anyCaseHeader(response, 'response-time');
    const item = header?.split(',')[2]?.split('=');
    const value = item && item.length === 2 ? item[1] : undefined;
    if (!value || !time) return { outcome: 'unverified', body, why: 'no signature or response-time it can read' };
    return check(response, request, request.signedPath, request.clientId, time, strictBase64(formDecode(value)), key);
  },
  // DefaultAlipayClient.__parse_header: HTTP 200 or an exception; header names compared exactly with "signature",
  // "response-time" and "client-id", any of them missing → an exception; the signature is what follows
  // "signature=", unquote_plus, b64decode; verified with the request's path and the answer's client-id.
  python: (response, request, key) => {
    if (response.status !== 200) return refused(`"invalid http status ${response.status}"`);
    const header = exactHeader(response, 'signature');
    const time = exactHeader(response, 'response-time');
    const clientId = exactHeader(response, 'client-id');
    for (const [name, value] of [
      ['signature', header],
      ['response-time', time],
      ['client-id', clientId],
    ] as const) {
      if (value === undefined) return refused(`"response header exception, ${name} not exist."`);
    }
    const value = (header as string).split('signature=')[1];
    if (value === undefined) return refused('IndexError: no "signature=" in the signature header');
    const decoded = formDecode(value) ?? value;
    return check(
      response,
      request,
      request.signedPath,
      clientId as string,
      time as string,
      lenientBase64(decoded),
      key,
    );
  },
  // DefaultAlipayClient::sendRequest (curl): HTTP 200 or no result at all; each header line that contains
  // "response-time" (case-sensitive, anywhere in the line) gives the time after its first ":", each other line that
  // contains "signature" the signature after its last "="; either missing → the answer is returned unchecked.
  // SignatureTool: Base64 as is when it holds "=", "+" or "/" (or round-trips), else urldecode first.
  php: (response, request, key) => {
    if (response.status !== 200) return refused('sendRequest returns null: "HttpRpcResult is null."');
    let time: string | undefined;
    let value: string | undefined;
    for (const line of response.head.split('\r\n')) {
      if (line.includes('response-time')) time = line.slice(line.indexOf(':') + 1).trim();
      else if (line.includes('signature')) value = line.slice(line.lastIndexOf('=') + 1);
    }
    const body = parseJson(response.body);
    if (!hasResult(body)) return refused('"Response data error,result field is null"');
    if (!value || !time) return { outcome: 'unverified', body, why: 'no signature or response-time line it can read' };
    const plain = /[=+/]/.test(value) || lenientBase64(value).toString('base64') === value;
    return check(
      response,
      request,
      request.signedPath,
      request.clientId,
      time,
      lenientBase64(plain ? value : (formDecode(value) ?? value)),
      key,
    );
  },
  // AMSResponse.ParseResponse: HTTP 200 or an exception; HttpHeaders (any case) must contain response-time and
  // signature; the signature is what follows "signature=", HttpUtility.UrlDecode, Convert.FromBase64String; verified
  // with the request's URI and Client-Id.
  dotnet: (response, request, key) => {
    if (response.status !== 200) return refused(`"AMS API response HTTP StatusCode not 200: ${response.status}"`);
    const time = anyCaseHeader(response, 'response-time');
    const header = anyCaseHeader(response, 'signature');
    if (time === undefined) return refused('"response-time missing in the response header."');
    if (header === undefined) return refused('"signature missing in the response header."');
    const value = header.split('signature=')[1];
    if (value === undefined) return refused('IndexOutOfRangeException: no "signature=" in the signature header');
    const decoded = (formDecode(value) ?? value).replace(/\s+/g, '');
    return check(response, request, request.signedPath, request.clientId, time, strictBase64(decoded), key);
  },
  // DefaultAlipayClient.httpDo: any status; Header.Get (any case) of "response-time", "Client-id" and "Signature";
  // an empty signature → an error; what follows "signature=", url.QueryUnescape, StdEncoding; verified with
  // req.URL.Path (the whole URL's path, gateway prefix included) and the answer's Client-Id.
  go: (response, request, key) => {
    const header = anyCaseHeader(response, 'Signature') ?? '';
    if (header === '') return refused('"empty notify signature"');
    const time = anyCaseHeader(response, 'response-time') ?? '';
    const clientId = anyCaseHeader(response, 'Client-id') ?? '';
    const decoded = formDecode(header.split('signature=')[1] ?? '') ?? '';
    return check(response, request, request.urlPath ?? request.signedPath, clientId, time, strictBase64(decoded), key);
  },
};
