// Keys arrive in every shape the wallets' consoles and openssl hand out. Parse them once (the hot path of
// sign/verify must not re-read PEM on every call), and when one does not parse say what was expected and
// what it looks like instead, without ever echoing the key itself.
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { KeyFormatError } from './errors';

/** A key as PEM (PKCS#8, PKCS#1, SEC1, SPKI), as the bare Base64 body of one (DER), or a `KeyObject`. */
export type KeyInput = string | KeyObject;

/** `RSA256`: SHA256withRSA (PKCS#1 v1.5). `ECC224`: ECDSA over P-224 (secp224r1) with SHA-256. */
export type Algorithm = 'RSA256' | 'ECC224';

export const PRIVATE_KEY_FORMATS =
  'PEM PKCS#8 ("BEGIN PRIVATE KEY"), PEM PKCS#1 ("BEGIN RSA PRIVATE KEY"), ' +
  'PEM SEC1 ("BEGIN EC PRIVATE KEY"), the bare Base64 body of any of these, or a private KeyObject';

export const PUBLIC_KEY_FORMATS =
  'PEM SPKI ("BEGIN PUBLIC KEY"), PEM PKCS#1 ("BEGIN RSA PUBLIC KEY"), ' +
  'the bare Base64 body of either, or a public KeyObject';

const CACHE_LIMIT = 64;
const privateCache = new Map<string, KeyObject>();
const publicCache = new Map<string, KeyObject>();

/**
 * A private key for signing, parsed once per distinct string. `what` names the option in error messages.
 * @throws KeyFormatError when it does not parse or is a public key.
 */
export function parsePrivateKey(input: KeyInput, what = 'privateKey'): KeyObject {
  if (typeof input === 'string') {
    const cached = privateCache.get(input);
    if (cached) return cached;
    const key = parseString(input, 'private', what);
    remember(privateCache, input, key);
    return key;
  }
  return checkKeyObject(input, 'private', what);
}

/**
 * A public key for verifying, parsed once per distinct string. `what` names the option in error messages.
 * @throws KeyFormatError when it does not parse or is a private key.
 */
export function parsePublicKey(input: KeyInput, what = 'publicKey'): KeyObject {
  if (typeof input === 'string') {
    const cached = publicCache.get(input);
    if (cached) return cached;
    const key = parseString(input, 'public', what);
    remember(publicCache, input, key);
    return key;
  }
  return checkKeyObject(input, 'public', what);
}

const kinds = new WeakMap<KeyObject, 'rsa' | 'ec-p224' | string>();

/** `rsa`, `ec-p224`, or a description of another kind (for messages), cached per KeyObject. */
export function keyKind(key: KeyObject): 'rsa' | 'ec-p224' | string {
  let kind = kinds.get(key);
  if (kind === undefined) {
    const type = key.asymmetricKeyType;
    if (type === 'rsa') kind = 'rsa';
    else if (type === 'ec') {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      kind = curve === 'secp224r1' ? 'ec-p224' : `EC (${curve ?? 'unknown curve'})`;
    } else kind = String(type ?? 'unknown');
    kinds.set(key, kind);
  }
  return kind;
}

/** Whether `key` can be used with `algorithm`. */
export function keyFits(key: KeyObject, algorithm: Algorithm): boolean {
  const kind = keyKind(key);
  return algorithm === 'RSA256' ? kind === 'rsa' : kind === 'ec-p224';
}

/** @throws KeyFormatError when `key` cannot sign with `algorithm`. */
export function assertKeyFits(key: KeyObject, algorithm: Algorithm, what: string): void {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (algorithm === 'RSA256' && keyKind(key) === 'rsa' && bits !== undefined && bits < 2048) {
    // The wallets use RSA 2048 (docs/PROTOCOL.md §4.3); a shorter key signs fine here and is then refused by the wallet.
    throw new KeyFormatError(
      `${what} is a ${bits}-bit RSA key, but algorithm RSA256 needs an RSA key of at least 2048 bits`,
    );
  }
  if (keyFits(key, algorithm)) return;
  const kind = keyKind(key);
  const have = kind === 'rsa' ? 'an RSA key' : kind === 'ec-p224' ? 'an EC P-224 key' : `a ${kind} key`;
  const need = algorithm === 'RSA256' ? 'an RSA key (2048 bits or more)' : 'an EC P-224 (secp224r1) key';
  throw new KeyFormatError(`${what} is ${have}, but algorithm ${algorithm} needs ${need}`);
}

function remember(cache: Map<string, KeyObject>, input: string, key: KeyObject): void {
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(input, key);
}

function checkKeyObject(input: unknown, role: 'private' | 'public', what: string): KeyObject {
  if (!(input instanceof KeyObject)) {
    throw new KeyFormatError(
      `${what} must be a string or a KeyObject, got ${describe(input)}; accepted: ${formats(role)}`,
    );
  }
  if (input.type === role) return input;
  if (input.type === 'secret') {
    throw new KeyFormatError(
      `${what} is a secret (symmetric) KeyObject; a ${role} key was expected; accepted: ${formats(role)}`,
    );
  }
  throw new KeyFormatError(`${what} ${swapHint(role)}; accepted: ${formats(role)}`);
}

function parseString(input: string, role: 'private' | 'public', what: string): KeyObject {
  // Keys pasted into environment variables often carry literal "\n" instead of line breaks, and some .env
  // loaders keep the quotes around the value.
  const text = input
    .replace(/\\r\\n|\\n/g, '\n')
    .trim()
    .replace(/^(["'])([\s\S]*)\1$/, '$2')
    .trim();
  if (!text) throw new KeyFormatError(`${what} is empty; accepted: ${formats(role)}`);
  if (text.includes('-----BEGIN')) return parsePem(text, role, what);
  if (/^(\.{0,2}\/|~\/|[A-Za-z]:\\)|\.(pem|key|der|txt|crt)$/i.test(text)) {
    throw new KeyFormatError(
      `${what} looks like a file path, not a key: read the file first (readFileSync(path, 'utf8')); accepted: ${formats(role)}`,
    );
  }
  return parseBare(text, role, what);
}

function parsePem(text: string, role: 'private' | 'public', what: string): KeyObject {
  const labels = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((match) => match[1] ?? '');
  // PKCS#8 says so in its label; the traditional form (openssl genrsa -aes128) in a Proc-Type header.
  if (labels.some((label) => label.includes('ENCRYPTED')) || /Proc-Type:\s*4,ENCRYPTED/i.test(text)) {
    throw new KeyFormatError(
      `${what} is an encrypted PEM key; decrypt it first (openssl pkcs8 -topk8 -nocrypt -in <file>); accepted: ${formats(role)}`,
    );
  }
  const keyLabel = labels.find((label) => label !== 'EC PARAMETERS');
  if (keyLabel === undefined) {
    throw new KeyFormatError(`${what} is PEM without a key block; accepted: ${formats(role)}`);
  }
  const isPrivate = keyLabel.includes('PRIVATE');
  const isPublic = keyLabel.includes('PUBLIC') || keyLabel === 'CERTIFICATE';
  if (role === 'private' && isPublic) throw new KeyFormatError(`${what} ${swapHint(role)}; accepted: ${formats(role)}`);
  if (role === 'public' && isPrivate) throw new KeyFormatError(`${what} ${swapHint(role)}; accepted: ${formats(role)}`);
  const create = role === 'private' ? createPrivateKey : createPublicKey;
  try {
    return create(text);
  } catch {
    // Fall through: the PEM may only have lost its layout.
  }
  try {
    return create(rewrapPem(text));
  } catch (error) {
    throw new KeyFormatError(
      `${what} is PEM ("${keyLabel}") that does not parse as a ${role} key; accepted: ${formats(role)}`,
      {
        code: 'INVALID_KEY',
        cause: error,
      },
    );
  }
}

/**
 * PEM laid out again: each block's Base64 body without whitespace, wrapped at 64 columns, the armour lines on
 * their own. OpenSSL needs that layout, which an environment variable (one line), a YAML file (indented) or a
 * form field (spaces for newlines) loses.
 */
function rewrapPem(text: string): string {
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)].map(
    ([, label, body]) => {
      const lines = (body ?? '').replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
      return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
    },
  );
  return blocks.join('');
}

const PRIVATE_DER = ['pkcs8', 'pkcs1', 'sec1'] as const;
const PUBLIC_DER = ['spki', 'pkcs1'] as const;

function parseBare(text: string, role: 'private' | 'public', what: string): KeyObject {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    throw new KeyFormatError(`${what} is neither PEM nor a bare Base64 key body; accepted: ${formats(role)}`);
  }
  const der = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  // createPublicKey happily derives a public key from private DER, so look for a private key first either way.
  const asPrivate = tryPrivateDer(der);
  if (role === 'private' && asPrivate) return asPrivate;
  if (role === 'public' && !asPrivate) {
    const asPublic = tryPublicDer(der);
    if (asPublic) return asPublic;
  }
  if (asPrivate || tryPublicDer(der)) throw new KeyFormatError(`${what} ${swapHint(role)}; accepted: ${formats(role)}`);
  throw new KeyFormatError(`${what} is Base64 but not a DER key in any accepted format; accepted: ${formats(role)}`);
}

function tryPrivateDer(der: Buffer): KeyObject | undefined {
  for (const type of PRIVATE_DER) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // Try the next format.
    }
  }
  return undefined;
}

function tryPublicDer(der: Buffer): KeyObject | undefined {
  for (const type of PUBLIC_DER) {
    try {
      return createPublicKey({ key: der, format: 'der', type });
    } catch {
      // Try the next format.
    }
  }
  return undefined;
}

function swapHint(role: 'private' | 'public'): string {
  return role === 'private'
    ? 'looks like a public key, but a private key was expected (sign with your own private key)'
    : "looks like a private key, but a public key was expected (verify with the other side's public key)";
}

function formats(role: 'private' | 'public'): string {
  return role === 'private' ? PRIVATE_KEY_FORMATS : PUBLIC_KEY_FORMATS;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Buffer.isBuffer(value)) return 'a Buffer (decode it to a string first)';
  return typeof value === 'object' ? 'an object' : typeof value;
}
