// docs/PROTOCOL.md §4.3: the content to sign is `<METHOD> <path as sent>\n<Client-Id>.<Request-Time>.<raw body>`, signed
// with SHA256withRSA (RSA256) or ECDSA P-224 + SHA-256 (ECC224), Base64 then URL-encoded into the header
// `algorithm=RSA256, keyVersion=1, signature=<value>`.
//
// Each operation has two forms with the same checks and errors: `sign`/`verify` compute on the calling thread
// (scripts, tests), `signAsync`/`verifyAsync` hand the one RSA or ECDSA operation to libuv's thread pool and
// resolve when it is done, so that a server's event loop keeps serving other requests meanwhile (and a process
// signs on as many cores as the pool has threads). Everything else (argument checks, key parsing, the content,
// the header) runs on the calling thread in both: it is cheap, and it keeps the two forms one code path.
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { OpenApiError } from './errors';
import { assertRawBody, type RawBody } from './internal/raw-body';
import { formatKeyVersion, KEY_VERSION_RULE, scanSignatureHeader } from './internal/signature-header';
import { assertKeyFits, keyFits, parsePrivateKey, parsePublicKey, type Algorithm, type KeyInput } from './keys';

export interface SignOptions {
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** The path as sent, including the wallet's prefix, e.g. `/api/open/v2/payments/pay`. */
  path: string;
  /** The `Client-Id` header value. */
  clientId: string;
  /** The `Request-Time` (or, for a response, `Response-Time`) header value, exactly as sent. */
  time: string;
  /** The raw body exactly as it travels. Never a parsed object. */
  body: RawBody;
  /** Your private key. */
  privateKey: KeyInput;
  /** Default `RSA256`. */
  algorithm?: Algorithm;
  /** Written into the header; default `1`. */
  keyVersion?: number | string;
}

export interface VerifyOptions {
  method: string;
  path: string;
  clientId: string;
  time: string;
  body: RawBody;
  /** The `Signature` header value, e.g. `algorithm=RSA256, keyVersion=1, signature=...`. */
  signature: string;
  /** The signer's public key. */
  publicKey: KeyInput;
}

/** A parsed `Signature` header. `signature` is the Base64 text, URL-decoding undone and whitespace removed. */
export interface SignatureHeader {
  algorithm: Algorithm;
  keyVersion: string | undefined;
  signature: string;
}

/** The exact bytes that are signed. */
export function signingContent(method: string, path: string, clientId: string, time: string, body: RawBody): Buffer {
  const head = `${method.toUpperCase()} ${path}\n${clientId}.${time}.`;
  return typeof body === 'string' ? Buffer.from(head + body, 'utf8') : Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

/**
 * Signs a message and returns the `Signature` header value.
 * @throws KeyFormatError when the key does not parse or does not fit the algorithm;
 *   OpenApiError `BODY_NOT_RAW` when `body` is not the raw string.
 */
export function sign(options: SignOptions): string {
  const prepared = prepareSignature(options);
  return prepared.header(cryptoSign('sha256', prepared.content, prepared.key));
}

/**
 * `sign` with the signature computed in libuv's thread pool: the same checks, errors and header.
 * @returns a promise of the `Signature` header value; it rejects with what `sign` throws.
 */
export async function signAsync(options: SignOptions): Promise<string> {
  const prepared = prepareSignature(options);
  const signature = await new Promise<Buffer>((resolve, reject) => {
    cryptoSign('sha256', prepared.content, prepared.key, (error, bytes) => (error ? reject(error) : resolve(bytes)));
  });
  return prepared.header(signature);
}

/**
 * Whether `signature` (the header value) is a valid signature of the message by `publicKey`. A wrong,
 * malformed or mismatched signature gives `false`; it never throws for that.
 * @throws KeyFormatError when `publicKey` does not parse; OpenApiError `BODY_NOT_RAW` for a parsed body.
 */
export function verify(options: VerifyOptions): boolean {
  const prepared = prepareVerification(options);
  if (!prepared) return false;
  try {
    return cryptoVerify('sha256', prepared.content, prepared.key, prepared.signature);
  } catch {
    // A structurally broken ECDSA signature can make OpenSSL throw instead of answering false.
    return false;
  }
}

/**
 * `verify` with the verification computed in libuv's thread pool: the same checks and verdicts.
 * @returns a promise of the verdict; it rejects with what `verify` throws (a key that does not parse, a parsed body).
 */
export async function verifyAsync(options: VerifyOptions): Promise<boolean> {
  const prepared = prepareVerification(options);
  if (!prepared) return false;
  return new Promise<boolean>((resolve) => {
    try {
      cryptoVerify('sha256', prepared.content, prepared.key, prepared.signature, (error, verified) =>
        // As in `verify`: OpenSSL failing on a broken signature is a signature that does not verify.
        resolve(!error && verified),
      );
    } catch {
      resolve(false);
    }
  });
}

/** What is signed, with which key, and how the signature becomes the header: everything but the signing itself. */
interface PreparedSignature {
  content: Buffer;
  key: KeyObject;
  header: (signature: Buffer) => string;
}

/** @throws what `sign` throws, before any signing. */
function prepareSignature(options: SignOptions): PreparedSignature {
  const { method, path, clientId, time, body, privateKey } = options;
  const algorithm = options.algorithm ?? 'RSA256';
  if (algorithm !== 'RSA256' && algorithm !== 'ECC224') {
    throw new OpenApiError(`algorithm must be 'RSA256' or 'ECC224', got ${JSON.stringify(String(algorithm))}`, {
      code: 'INVALID_ARGUMENT',
    });
  }
  const keyVersion = formatKeyVersion(options.keyVersion ?? 1);
  if (keyVersion === undefined) {
    throw new OpenApiError(KEY_VERSION_RULE, { code: 'INVALID_ARGUMENT' });
  }
  assertRawBody(body, 'body');
  assertFields(method, path, clientId, time);
  const key = parsePrivateKey(privateKey, 'privateKey');
  assertKeyFits(key, algorithm, 'privateKey');
  return {
    content: signingContent(method, path, clientId, time, body),
    key,
    header: (signature) =>
      `algorithm=${algorithm}, keyVersion=${keyVersion}, signature=${encodeURIComponent(signature.toString('base64'))}`,
  };
}

/**
 * What is verified, with which key, against which signature bytes; `undefined` when the answer is `false` without
 * any cryptography (a field that is not a string, a header that does not scan, an algorithm the key does not fit).
 * @throws what `verify` throws.
 */
function prepareVerification(
  options: VerifyOptions,
): { content: Buffer; key: KeyObject; signature: Buffer } | undefined {
  const { method, path, clientId, time, body, signature, publicKey } = options;
  assertRawBody(body, 'body');
  const key = parsePublicKey(publicKey, 'publicKey');
  if (
    typeof method !== 'string' ||
    typeof path !== 'string' ||
    typeof clientId !== 'string' ||
    typeof time !== 'string'
  ) {
    return undefined;
  }
  if (typeof signature !== 'string') return undefined;
  const header = scanSignatureHeader(signature);
  if (!header || !keyFits(key, header.algorithm)) return undefined;
  return { content: signingContent(method, path, clientId, time, body), key, signature: header.bytes };
}

/**
 * Parses a `Signature` header value: comma-separated `key=value` pairs, keys and `algorithm` case-insensitive,
 * spaces ignored, `algorithm` defaulting to RSA256. `undefined` when it is not one.
 */
export function parseSignatureHeader(value: string): SignatureHeader | undefined {
  const scanned = typeof value === 'string' ? scanSignatureHeader(value) : undefined;
  if (!scanned) return undefined;
  // The seed's example wraps the value over lines; whitespace is never part of Base64.
  const signature = scanned.text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return undefined;
  return { algorithm: scanned.algorithm, keyVersion: scanned.keyVersion, signature };
}

function assertFields(method: unknown, path: unknown, clientId: unknown, time: unknown): void {
  for (const [name, value] of [
    ['method', method],
    ['clientId', clientId],
    ['time', time],
  ] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new OpenApiError(`${name} must be a non-empty string`, { code: 'INVALID_ARGUMENT' });
    }
  }
  assertPath(path);
}

/**
 * @throws OpenApiError `INVALID_ARGUMENT` unless `path` is a path as sent. Checked before verifying too: a full URL
 * or a missing path would otherwise surface as a misleading `INVALID_SIGNATURE`.
 */
export function assertPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new OpenApiError(
      `path must be the path as sent, starting with "/" (e.g. /api/open/v2/payments/pay), not a full URL; got ${typeof path === 'string' ? JSON.stringify(path) : typeof path}`,
      { code: 'INVALID_ARGUMENT' },
    );
  }
}
