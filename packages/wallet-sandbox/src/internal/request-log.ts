// The request log (Stripe's `logs tail` is the model): every OpenAPI call with its headers as sent, its raw body,
// whether it could be believed and why not, and the signed answer. In memory, newest first, bounded: the oldest
// entry goes when the log is full. It never holds a private key (the sandbox logs what travelled, and keys do not
// travel); tokens and auth codes in bodies and credentials in headers are masked to their last 4 characters.
import type { CheckedContent, Result, SignatureDiagnosis } from '@minipay/openapi';

/** Whether a call could be believed: its signature verified; it was refused; or it could not even be read. */
export type Verdict = 'verified' | 'refused' | 'unread';

export const VERDICTS: readonly Verdict[] = ['verified', 'refused', 'unread'];

/** The default number of entries kept. */
export const REQUEST_LOG_SIZE = 1000;

/**
 * The most of a body an entry keeps (64 KiB): a thousand 1 MiB bodies would be a gigabyte. The content's length and
 * SHA-256 are always of the whole body.
 */
export const LOGGED_BODY_LIMIT = 64 * 1024;

export interface RequestLogEntry {
  /** Increasing from 1; a cursor for clients that poll. */
  id: number;
  /** When the call arrived (the sandbox's clock). */
  at: string;
  method: string;
  /** The path as signed (the origin form of the request target). */
  path: string;
  /** The request target as sent when it differed from `path` (absolute form, as the Python SDK sends it). */
  target: string | null;
  clientId: string | null;
  verdict: Verdict;
  /** What the signature covers: the content string up to the body, the body's length and SHA-256. */
  content: CheckedContent | null;
  /** Why the call was refused (the signature doctor), for refused calls. */
  diagnosis: SignatureDiagnosis | null;
  /** The diagnosis as text, as `minipay-openapi verify` prints it. */
  diagnosisText: string | null;
  request: {
    /** Every header as sent: name (in its case), value. */
    headers: Array<[string, string]>;
    body: string;
    /** The JSON fields whose values are masked in `body` (e.g. refreshToken). */
    masked: string[];
    /** Whether `body` is only the first `LOGGED_BODY_LIMIT` characters of it. */
    truncated: boolean;
  };
  answer: {
    status: number;
    headers: Record<string, string>;
    body: string;
    masked: string[];
    truncated: boolean;
    result: Result;
  };
  durationMs: number;
}

export interface RequestLogFilter {
  /** Entries whose path contains this text, e.g. `/v2/payments/pay`. */
  path?: string;
  /** Entries whose Client-Id is exactly this. */
  client?: string;
  verdict?: Verdict;
  /** At most this many, newest first. */
  limit?: number;
}

export class RequestLog {
  // Oldest first: adding is a push, dropping the oldest a shift.
  readonly #entries: RequestLogEntry[] = [];
  #nextId = 1;

  constructor(readonly size: number = REQUEST_LOG_SIZE) {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new TypeError('the request log size must be a whole number >= 1');
  }

  add(entry: Omit<RequestLogEntry, 'id'>): RequestLogEntry {
    const stored = { id: this.#nextId++, ...entry };
    this.#entries.push(stored);
    if (this.#entries.length > this.size) this.#entries.shift();
    return stored;
  }

  /** Newest first. */
  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const matches: RequestLogEntry[] = [];
    const limit = filter.limit ?? this.size;
    for (let i = this.#entries.length - 1; i >= 0 && matches.length < limit; i--) {
      const entry = this.#entries[i] as RequestLogEntry;
      if (filter.path !== undefined && !entry.path.includes(filter.path)) continue;
      if (filter.client !== undefined && entry.clientId !== filter.client) continue;
      if (filter.verdict !== undefined && entry.verdict !== filter.verdict) continue;
      matches.push(entry);
    }
    return matches;
  }

  get count(): number {
    return this.#entries.length;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

const SECRET_FIELDS = /"(accessToken|refreshToken|authCode)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'agent-token']);

/** `****` and the last 4 characters: enough to tell two tokens apart, not enough to use one. */
export function mask(value: string): string {
  return value.length <= 4 ? '****' : `****${value.slice(-4)}`;
}

/**
 * The body as the log keeps it: token and auth code values masked in place (its layout otherwise unchanged), at most
 * `LOGGED_BODY_LIMIT` characters; with what was masked, and whether it was cut.
 */
export function loggedBody(body: string): { body: string; masked: string[]; truncated: boolean } {
  const masked = new Set<string>();
  const text = body.replace(SECRET_FIELDS, (_match, name: string, colon: string, value: string) => {
    masked.add(name);
    return `"${name}"${colon}"${mask(value)}"`;
  });
  const truncated = text.length > LOGGED_BODY_LIMIT;
  return { body: truncated ? text.slice(0, LOGGED_BODY_LIMIT) : text, masked: [...masked], truncated };
}

/** Headers as name/value pairs (node's rawHeaders), credentials masked. */
export function maskHeaders(rawHeaders: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    pairs.push([name, SECRET_HEADERS.has(name.toLowerCase()) ? mask(value) : value]);
  }
  return pairs;
}
