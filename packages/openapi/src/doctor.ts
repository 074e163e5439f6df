// The signature doctor: when a signed message does not verify, say why. It re-checks what the verifier checked and
// then tries the usual mistakes one at a time (another key, the signature decoded twice, the path with or without a
// prefix, the same JSON laid out differently) until one of them verifies; for RSA it can also tell a wrong key from
// changed content, because only the right public key opens the signature's padding. It only explains: verification
// itself (verifyRequest, verifyResponse) stays exactly as strict, and nothing here makes a failing message pass.
// It never reveals a secret: it takes public keys only, and shows the body as a length and a SHA-256, never its text.
import { constants, createHash, publicDecrypt, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { keyFingerprint } from './fingerprint';
import { readHeader } from './internal/headers';
import { JSON_LAYOUTS, textVariants } from './internal/json-layouts';
import { timeRefusal } from './internal/message-checks';
import { assertRawBody, type RawBody } from './internal/raw-body';
import { scanSignatureHeader } from './internal/signature-header';
import { keyFits, keyKind, parsePublicKey, type Algorithm, type KeyInput } from './keys';
import type { PublicKeySource, VerifyRequestOptions } from './request';
import { readClock, readTime, type TimeForm } from './request-time';
import type { VerifyResponseOptions } from './response';
import { parseSignatureHeader, signingContent } from './sign';

/** A public key and what to call it in a diagnosis, e.g. `{ name: 'merchant-public.pem', key }`. */
export interface NamedKey {
  name: string;
  key: KeyInput;
}

/** A key as a diagnosis shows it: its name and its fingerprint (see `keyFingerprint`), never the key. */
export interface KeyFingerprint {
  name: string;
  fingerprint: string;
}

/** What was checked, as the diagnosis reports it. */
export interface CheckedContent {
  kind: 'request' | 'response';
  method: string;
  path: string;
  clientId: string | null;
  timeHeader: 'Request-Time' | 'Response-Time';
  time: string | null;
  timeForm: TimeForm | null;
  /**
   * The content string up to the body, `<METHOD> <path>\n<Client-Id>.<time>.`: what was signed is this followed by
   * the body's bytes. `null` when a header it needs is missing.
   */
  contentHead: string | null;
  /** The body as a length in bytes and a hex SHA-256 (compare with `sha256sum` of the bytes you sent). */
  body: { length: number; sha256: string };
  /** From the Signature header, when it parses. */
  algorithm: Algorithm | null;
  keyVersion: string | null;
  /** Whether the header's signature value was URL-encoded (the SDKs encode it; plain Base64 is accepted too). */
  signatureEncoding: 'url-encoded' | 'plain' | null;
}

/**
 * Why a message does not verify, one of a closed set (`VERIFIED` when it does):
 * - `MISSING_HEADER`: `header` is absent or empty.
 * - `MALFORMED_SIGNATURE_HEADER`: the Signature header is not `algorithm=..., keyVersion=..., signature=...`, or its
 *   signature is not Base64 of the right length.
 * - `TIME_FORMAT_NOT_ACCEPTED`: the time header is none of `ACCEPTED_TIME_FORMS`.
 * - `TIME_OUTSIDE_WINDOW`: the signature verifies, but the time is more than `toleranceSeconds` from now.
 * - `SIGNATURE_NOT_URL_DECODED`: the signature is still URL-encoded after decoding (it was encoded twice).
 * - `SIGNATURE_PLUS_AS_SPACE`: the signature has spaces where its Base64 had `+` (it went through a form decoder).
 * - `UNKNOWN_KEY`: no public key is known for the Client-Id.
 * - `ALGORITHM_KEY_MISMATCH`: the header's algorithm does not fit the key (ECC224 with an RSA key...).
 * - `WRONG_KEY`: signed with another private key than the one whose public key was tried; `keyThatVerifies` names
 *   the known key that verifies, when one does.
 * - `PATH_PREFIX_MISSING`: the sender signed `signedPath`, the checked path without a leading prefix.
 * - `PATH_PREFIX_EXTRA`: the sender signed `signedPath`, the checked path with a prefix more (a proxy stripped it?).
 * - `PATH_DIFFERS`: the sender signed `signedPath`, another path (query string, trailing slash, another prefix).
 * - `BODY_RESERIALISED`: the signature covers the same JSON laid out as `signedLayout`.
 * - `BODY_CHANGED`: the key is right (RSA says so) but the signed content differs: the body, or a header, changed.
 * - `CLIENT_ID_MISMATCH`: a response for another Client-Id than expected.
 * - `UNEXPLAINED`: it does not verify and no single change explains it (ECDSA cannot tell a wrong key from changed
 *   content).
 */
export type DiagnosisCause = SignatureDiagnosis['cause'];

interface DiagnosisBase {
  /** The message verifies (and its time is inside the window). The same as `cause === 'VERIFIED'`. */
  verified: boolean;
  /** One line: the result, the cause and what was found. Fits a 256-character `resultMessage` for usual paths. */
  summary: string;
  /** The evidence and what to do, one sentence each. */
  details: string[];
  checked: CheckedContent;
  /** The key verification used (the first of the keys). */
  keyTried: KeyFingerprint | null;
}

export type SignatureDiagnosis = DiagnosisBase &
  (
    | { cause: 'VERIFIED' }
    | { cause: 'MISSING_HEADER'; header: 'Client-Id' | 'Request-Time' | 'Response-Time' | 'Signature' }
    | { cause: 'MALFORMED_SIGNATURE_HEADER' }
    | { cause: 'TIME_FORMAT_NOT_ACCEPTED' }
    | { cause: 'TIME_OUTSIDE_WINDOW'; skewSeconds: number; toleranceSeconds: number }
    | { cause: 'SIGNATURE_NOT_URL_DECODED' }
    | { cause: 'SIGNATURE_PLUS_AS_SPACE' }
    | { cause: 'UNKNOWN_KEY' }
    | { cause: 'ALGORITHM_KEY_MISMATCH' }
    | { cause: 'WRONG_KEY'; keyThatVerifies: KeyFingerprint | null }
    | { cause: 'PATH_PREFIX_MISSING' | 'PATH_PREFIX_EXTRA' | 'PATH_DIFFERS'; signedPath: string }
    | { cause: 'BODY_RESERIALISED'; signedLayout: string }
    | { cause: 'BODY_CHANGED' }
    | { cause: 'CLIENT_ID_MISMATCH'; expectedClientId: string }
    | { cause: 'UNEXPLAINED' }
  );

/** What a verifier checked: the input of `diagnoseSignature`. */
export interface CheckedMessage {
  /** Default `request`. */
  kind?: 'request' | 'response';
  method: string;
  /** The path as the verifier used it. */
  path: string;
  /** The header values as received; `undefined` for a missing header. */
  clientId: string | undefined;
  time: string | undefined;
  signature: string | undefined;
  /** The raw body exactly as received. */
  body: RawBody;
  /** The public keys to try: the first is the one the verifier used; the others are known keys (e.g. your own). */
  keys: readonly NamedKey[];
  /** When given, the time is checked against this instant (requests: the replay window). */
  now?: Date;
  /** Default 300. */
  toleranceSeconds?: number;
  /** Path prefixes to try beyond the usual `/api/open`, `/api`, `/acl/api` (e.g. your wallet's). */
  prefixes?: readonly string[];
  /** For a response: the Client-Id it must carry. */
  expectedClientId?: string;
}

const USUAL_PREFIXES = ['/api/open', '/api', '/acl/api'];

interface Key {
  name: string;
  object: KeyObject;
  fingerprint: KeyFingerprint;
}

type Found = DistributiveOmit<SignatureDiagnosis, keyof DiagnosisBase>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Explains a verification result from what was checked. Pure: the same input gives the same diagnosis (the clock is
 * `now`, given). @throws KeyFormatError when one of `keys` does not parse; OpenApiError `BODY_NOT_RAW`.
 */
export function diagnoseSignature(message: CheckedMessage): SignatureDiagnosis {
  assertRawBody(message.body, 'body');
  const kind = message.kind ?? 'request';
  const timeHeader = kind === 'request' ? 'Request-Time' : 'Response-Time';
  const checked = describeSignedContent({ ...message, kind });
  const keys: Key[] = message.keys.map(({ name, key }) => {
    const object = parsePublicKey(key, name);
    return { name, object, fingerprint: { name, fingerprint: keyFingerprint(object) } };
  });
  const tried = keys[0];
  const what = `the ${kind} signature`;
  const where = `${checked.method} ${checked.path}`;
  const result = (found: Found, summary: string, details: string[] = []): SignatureDiagnosis =>
    ({
      verified: found.cause === 'VERIFIED',
      summary,
      details,
      checked,
      keyTried: tried?.fingerprint ?? null,
      ...found,
    }) as SignatureDiagnosis;
  const refused = (found: Found, reason: string, details: string[] = []) =>
    result(found, `${what} does not verify for ${where}: ${reason}`, details);

  const missing = (name: 'Client-Id' | 'Request-Time' | 'Response-Time' | 'Signature') =>
    result(
      { cause: 'MISSING_HEADER', header: name },
      `the ${name} header is missing: every ${kind} must carry Client-Id, ${timeHeader} and Signature`,
    );
  // In verifyRequest's order: Client-Id, the time (present, then its form), Signature.
  if (isBlank(message.clientId)) return missing('Client-Id');
  if (isBlank(message.time)) return missing(timeHeader);
  const instant = readTime(message.time as string);
  if (instant === undefined) {
    return result({ cause: 'TIME_FORMAT_NOT_ACCEPTED' }, timeRefusal(timeHeader, message.time as string), [
      'The time is part of the signed content: the sender must send one of the accepted forms (and sign that text).',
    ]);
  }
  if (isBlank(message.signature)) return missing('Signature');
  const clientId = message.clientId as string;
  const signatureHeader = message.signature as string;
  if (kind === 'response' && message.expectedClientId !== undefined && clientId !== message.expectedClientId) {
    return result(
      { cause: 'CLIENT_ID_MISMATCH', expectedClientId: message.expectedClientId },
      `the response is for Client-Id ${JSON.stringify(clientId)}, not ${JSON.stringify(message.expectedClientId)}`,
      ['An answer signed for another merchant is not an answer to this one, whatever its signature.'],
    );
  }

  const parsed = parseSignatureHeader(signatureHeader);
  const scanned = scanSignatureHeader(signatureHeader);
  const doubleDecoded = scanned ? decodeAgain(scanned.text) : undefined;
  if (!parsed || !scanned) {
    if (
      scanned &&
      doubleDecoded &&
      tried &&
      verifies(tried, scanned.algorithm, content(message, checked.path, message.body), doubleDecoded)
    ) {
      return refused(
        { cause: 'SIGNATURE_NOT_URL_DECODED' },
        'the signature is URL-encoded twice (it verifies once decoded a second time)',
        ['URL-encode the Base64 signature once (the official SDKs do: %2B for +, %2F for /, %3D for =).'],
      );
    }
    return result(
      { cause: 'MALFORMED_SIGNATURE_HEADER' },
      `the Signature header is not "algorithm=RSA256|ECC224, keyVersion=1, signature=<url-encoded base64>": ${headerProblem(signatureHeader)}`,
    );
  }
  if (!tried) {
    return result({ cause: 'UNKNOWN_KEY' }, `no public key is known for Client-Id ${JSON.stringify(clientId)}`, [
      "Register the sender's public key for this Client-Id, or check that the Client-Id is the one it was given.",
    ]);
  }

  const exact = content(message, checked.path, message.body);
  const signature = scanned.bytes;
  if (verifies(tried, parsed.algorithm, exact, signature)) {
    if (message.now !== undefined) {
      const toleranceSeconds = message.toleranceSeconds ?? 300;
      const skewMs = instant.ms - message.now.getTime();
      if (Math.abs(skewMs) > toleranceSeconds * 1000) {
        const skewSeconds = Math.sign(skewMs) * Math.ceil(Math.abs(skewMs) / 1000);
        return result(
          { cause: 'TIME_OUTSIDE_WINDOW', skewSeconds, toleranceSeconds },
          `${what} verifies, but ${timeHeader} is ${Math.abs(skewSeconds)} s ${skewMs < 0 ? 'in the past' : 'in the future'}, outside the ${toleranceSeconds} s window`,
          [
            'A replayed message, or a clock that is off: check NTP on both sides; a fresh message with the current time goes through.',
          ],
        );
      }
    }
    return result(
      { cause: 'VERIFIED' },
      `${what} verifies for ${where} with ${tried.name} (${tried.fingerprint.fingerprint})`,
    );
  }

  if (!keyFits(tried.object, parsed.algorithm) && !keys.some((key) => keyFits(key.object, parsed.algorithm))) {
    return refused(
      { cause: 'ALGORITHM_KEY_MISMATCH' },
      `the header says ${parsed.algorithm}, but ${tried.name} is ${describeKind(tried.object)}`,
      [
        'RSA256 needs an RSA key pair, ECC224 an EC P-224 (secp224r1) pair: send the algorithm of the key you sign with.',
      ],
    );
  }

  const signatures = [
    { bytes: signature, cause: undefined },
    ...(doubleDecoded ? [{ bytes: doubleDecoded, cause: 'SIGNATURE_NOT_URL_DECODED' as const }] : []),
    ...(/ /.test(scanned.text)
      ? [{ bytes: Buffer.from(scanned.text.replace(/ /g, '+'), 'base64'), cause: 'SIGNATURE_PLUS_AS_SPACE' as const }]
      : []),
  ];
  const contents: Array<{ bytes: Buffer; found?: ContentFound }> = [
    { bytes: exact },
    ...pathVariants(checked.path, message.prefixes ?? []).map((variant) => ({
      bytes: content(message, variant.signedPath, message.body),
      found: variant,
    })),
    ...bodyVariants(message.body).map((variant) => ({
      bytes: content(message, checked.path, variant.text),
      found: {
        cause: 'BODY_RESERIALISED' as const,
        signedLayout: variant.name,
        reason: `signed over the same JSON laid out as ${variant.name}: the body was re-serialised after signing`,
        advice:
          'Verify over the raw bytes that travelled, never JSON.stringify of the parsed body (in Fastify: addContentTypeParser with parseAs; in Express: express.text or express.raw).',
      },
    })),
  ];
  for (const key of keys) {
    if (!keyFits(key.object, parsed.algorithm)) continue;
    for (const candidate of signatures) {
      for (const signed of contents) {
        if (key === tried && candidate.cause === undefined && signed.found === undefined) continue;
        if (!verifies(key, parsed.algorithm, signed.bytes, candidate.bytes)) continue;
        return explain({ key, signatureCause: candidate.cause, contentFound: signed.found });
      }
    }
  }

  if (parsed.algorithm === 'RSA256' && keyKind(tried.object) === 'rsa') {
    const modulusBytes = (tried.object.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
    if (signature.length !== modulusBytes) {
      return result(
        { cause: 'MALFORMED_SIGNATURE_HEADER' },
        `${what} does not verify for ${where}: the signature is ${signature.length} bytes, and ${tried.name} makes ${modulusBytes}-byte signatures (truncated or altered in transit?)`,
      );
    }
    const digest = rsaDigest(tried.object, signature);
    if (digest) {
      return refused(
        { cause: 'BODY_CHANGED' },
        `the key is right, but the signed content differs (the body, ${checked.body.length} bytes, sha256 ${checked.body.sha256.slice(0, 16)}..., or a header changed after signing)`,
        [
          `The signature opens with ${tried.name}, so the sender holds the matching private key, but it covers other content than ${JSON.stringify(checked.contentHead)} followed by the body.`,
          digest === 'sha256'
            ? 'No other path or JSON layout explains it: compare the body bytes (length and SHA-256) with what the sender signed, and the Client-Id and time it signed with those it sent.'
            : `The signature was made over a ${digest} digest, not SHA-256: sign with SHA256withRSA.`,
        ],
      );
    }
    const opener = keys.slice(1).find((key) => keyKind(key.object) === 'rsa' && rsaDigest(key.object, signature));
    return refused(
      { cause: 'WRONG_KEY', keyThatVerifies: opener?.fingerprint ?? null },
      opener
        ? `signed with the key of ${opener.name}, not ${tried.name}`
        : `signed with another key than ${tried.name} (${tried.fingerprint.fingerprint})`,
      [
        `Key tried: ${tried.name} ${tried.fingerprint.fingerprint}.`,
        opener
          ? `The signature opens with ${opener.name} ${opener.fingerprint.fingerprint} (and covers other content too).`
          : "Its padding does not open with the key tried, nor with any other key known here: the sender signs with a private key whose public key you do not have (an old or another environment's key?).",
      ],
    );
  }
  return refused(
    { cause: 'UNEXPLAINED' },
    `no single change explains it (wrong key, or changed body or headers; ${parsed.algorithm} cannot tell them apart)`,
    [
      `Key tried: ${tried.name} ${tried.fingerprint.fingerprint}; compare it with the fingerprint of the sender's public key.`,
      'Then compare the body bytes (length and SHA-256) and the Client-Id and time the sender signed with those it sent.',
    ],
  );

  function explain({
    key,
    signatureCause,
    contentFound,
  }: {
    key: Key;
    signatureCause: 'SIGNATURE_NOT_URL_DECODED' | 'SIGNATURE_PLUS_AS_SPACE' | undefined;
    contentFound: ContentFound | undefined;
  }): SignatureDiagnosis {
    const also: string[] = [];
    if (signatureCause) also.push(signatureText(signatureCause));
    if (contentFound) also.push(contentFound.reason);
    if (key !== tried) {
      const wrongKey = tried as Key;
      return refused(
        { cause: 'WRONG_KEY', keyThatVerifies: key.fingerprint },
        `signed with the key of ${key.name}, not ${wrongKey.name}`,
        [
          `Key tried: ${wrongKey.name} ${wrongKey.fingerprint.fingerprint}; the key that verifies: ${key.name} ${key.fingerprint.fingerprint}.`,
          'The sender signs with the private key of the other pair: a swapped key file or environment variable.',
          ...also.map((text) => `Also: ${text}.`),
        ],
      );
    }
    if (signatureCause) {
      return refused({ cause: signatureCause }, signatureText(signatureCause), [
        signatureCause === 'SIGNATURE_NOT_URL_DECODED'
          ? 'URL-encode the Base64 signature once (the official SDKs do: %2B for +, %2F for /, %3D for =).'
          : 'URL-encode the Base64 signature (%2B for +), as the official SDKs do, so that no decoder turns + into a space.',
        ...(contentFound ? [`Also: ${contentFound.reason}.`] : []),
      ]);
    }
    const { reason, advice, ...found } = contentFound as ContentFound;
    return refused(found, reason, [advice]);
  }
}

/** The content fields of a diagnosis, without any cryptography: what a verifier checked, for logs of verified messages too. */
export function describeSignedContent(
  message: Pick<CheckedMessage, 'kind' | 'method' | 'path' | 'clientId' | 'time' | 'signature' | 'body'>,
): CheckedContent {
  assertRawBody(message.body, 'body');
  const method = String(message.method).toUpperCase();
  const bytes = typeof message.body === 'string' ? Buffer.from(message.body, 'utf8') : message.body;
  const header = typeof message.signature === 'string' ? parseSignatureHeader(message.signature) : undefined;
  const signatureValue =
    typeof message.signature === 'string' ? /signature\s*=\s*([^,]*)/i.exec(message.signature)?.[1] : undefined;
  const hasTime = message.time !== undefined && message.time !== '';
  const hasClient = message.clientId !== undefined && message.clientId !== '';
  return {
    kind: message.kind ?? 'request',
    method,
    path: message.path,
    clientId: hasClient ? (message.clientId as string) : null,
    timeHeader: (message.kind ?? 'request') === 'request' ? 'Request-Time' : 'Response-Time',
    time: hasTime ? (message.time as string) : null,
    timeForm: hasTime ? (readTime(message.time as string)?.form ?? null) : null,
    contentHead: hasClient && hasTime ? `${method} ${message.path}\n${message.clientId}.${message.time}.` : null,
    body: { length: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') },
    algorithm: header?.algorithm ?? null,
    keyVersion: header?.keyVersion ?? null,
    signatureEncoding:
      header && signatureValue !== undefined ? (signatureValue.includes('%') ? 'url-encoded' : 'plain') : null,
  };
}

export interface DiagnoseRequestOptions extends VerifyRequestOptions {
  /** What to call `publicKey` in the diagnosis. Default `publicKey`. */
  keyName?: string;
  /** Other public keys known here (e.g. your own, the other environment's), to name the key that would verify. */
  otherKeys?: readonly NamedKey[];
  /** Path prefixes to try beyond the usual ones. */
  prefixes?: readonly string[];
}

/**
 * The diagnosis of a request as `verifyRequest` checks it (same options; headers read the same way, the replay
 * window on the same clock). @throws KeyFormatError; OpenApiError `BODY_NOT_RAW`, `INVALID_ARGUMENT`.
 */
export function diagnoseRequest(options: DiagnoseRequestOptions): SignatureDiagnosis {
  const clientId = readHeader(options.headers, 'Client-Id');
  return diagnoseSignature({
    kind: 'request',
    method: options.method ?? 'POST',
    path: options.path,
    clientId,
    time: readHeader(options.headers, 'Request-Time'),
    signature: readHeader(options.headers, 'Signature'),
    body: options.rawBody,
    keys: namedKeys(options.publicKey, clientId, options.keyName, options.otherKeys),
    now: readClock(options.now),
    toleranceSeconds: options.toleranceSeconds ?? 300,
    ...(options.prefixes ? { prefixes: options.prefixes } : {}),
  });
}

export interface DiagnoseResponseOptions extends VerifyResponseOptions {
  keyName?: string;
  otherKeys?: readonly NamedKey[];
  prefixes?: readonly string[];
}

/** The diagnosis of a response as `verifyResponse` checks it (no replay window, as there). */
export function diagnoseResponse(options: DiagnoseResponseOptions): SignatureDiagnosis {
  return diagnoseSignature({
    kind: 'response',
    method: options.method ?? 'POST',
    path: options.path,
    clientId: readHeader(options.headers, 'Client-Id'),
    time: readHeader(options.headers, 'Response-Time'),
    signature: readHeader(options.headers, 'Signature'),
    body: options.rawBody,
    keys: namedKeys(options.publicKey, undefined, options.keyName, options.otherKeys),
    ...(options.clientId === undefined ? {} : { expectedClientId: options.clientId }),
    ...(options.prefixes ? { prefixes: options.prefixes } : {}),
  });
}

/** A diagnosis as text for a terminal or a log: the summary, then what was checked, then the details. */
export function formatDiagnosis(diagnosis: SignatureDiagnosis): string {
  const { checked } = diagnosis;
  const lines = [
    `${diagnosis.verified ? 'VERIFIED' : 'NOT VERIFIED'}: ${diagnosis.summary}`,
    `cause:        ${diagnosis.cause}`,
    `checked:      ${checked.kind} ${checked.method} ${checked.path}`,
    `Client-Id:    ${checked.clientId ?? '(missing)'}`,
    `${`${checked.timeHeader}:`.padEnd(14)}${checked.time ?? '(missing)'}${checked.timeForm ? ` (${checked.timeForm === 'iso8601' ? 'ISO 8601' : 'epoch milliseconds'})` : ''}`,
    `body:         ${checked.body.length} bytes, sha256 ${checked.body.sha256}`,
    `content:      ${checked.contentHead === null ? '(incomplete: a header is missing)' : `${JSON.stringify(checked.contentHead)} + the body`}`,
    `signature:    ${checked.algorithm ? `${checked.algorithm}, keyVersion ${checked.keyVersion ?? '(none)'}, ${checked.signatureEncoding}` : '(does not parse)'}`,
    `key tried:    ${diagnosis.keyTried ? `${diagnosis.keyTried.name} ${diagnosis.keyTried.fingerprint}` : '(none)'}`,
  ];
  if (diagnosis.cause === 'WRONG_KEY') {
    lines.push(
      `would verify: ${diagnosis.keyThatVerifies ? `${diagnosis.keyThatVerifies.name} ${diagnosis.keyThatVerifies.fingerprint}` : '(no key known here)'}`,
    );
  }
  if ('signedPath' in diagnosis) lines.push(`signed path:  ${diagnosis.signedPath}`);
  if (diagnosis.cause === 'BODY_RESERIALISED') lines.push(`signed as:    ${diagnosis.signedLayout}`);
  for (const detail of diagnosis.details) lines.push(`- ${detail}`);
  return lines.join('\n');
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

function namedKeys(
  source: PublicKeySource,
  clientId: string | undefined,
  keyName = 'publicKey',
  others: readonly NamedKey[] = [],
): NamedKey[] {
  const key = typeof source === 'function' ? (clientId === undefined ? undefined : source(clientId)) : source;
  return [...(key === undefined || key === null ? [] : [{ name: keyName, key }]), ...others];
}

function content(message: CheckedMessage, path: string, body: RawBody): Buffer {
  return signingContent(message.method, path, message.clientId as string, message.time as string, body);
}

function verifies(key: Key, algorithm: Algorithm, signed: Buffer, signature: Buffer): boolean {
  if (!keyFits(key.object, algorithm)) return false;
  try {
    return cryptoVerify('sha256', signed, key.object, signature);
  } catch {
    return false;
  }
}

/** The signature bytes after a second URL-decoding, when the once-decoded text still holds %-escapes. */
function decodeAgain(text: string): Buffer | undefined {
  if (!/%[0-9A-Fa-f]{2}/.test(text)) return undefined;
  try {
    const twice = decodeURIComponent(text).replace(/\s+/g, '');
    return /^[A-Za-z0-9+/]+={0,2}$/.test(twice) ? Buffer.from(twice, 'base64') : undefined;
  } catch {
    return undefined;
  }
}

const DIGEST_INFOS: ReadonlyArray<[string, string]> = [
  ['sha256', '3031300d060960864801650304020105000420'],
  ['SHA-1', '3021300906052b0e03021a05000414'],
  ['SHA-512', '3051300d060960864801650304020305000440'],
  ['SHA-384', '3041300d060960864801650304020205000430'],
];

/** The digest algorithm inside an RSA PKCS#1 v1.5 signature when `key` opens it, else undefined (not its key). */
function rsaDigest(key: KeyObject, signature: Buffer): string | undefined {
  let opened: Buffer;
  try {
    opened = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return undefined;
  }
  const hex = opened.toString('hex');
  return DIGEST_INFOS.find(([, prefix]) => hex.startsWith(prefix))?.[0] ?? 'an unknown';
}

/** A content variant that verifies, with what it means: the diagnosis fields, the reason and the fix. */
type PathFound = {
  cause: 'PATH_PREFIX_MISSING' | 'PATH_PREFIX_EXTRA' | 'PATH_DIFFERS';
  signedPath: string;
  reason: string;
  advice: string;
};
type ContentFound = PathFound | { cause: 'BODY_RESERIALISED'; signedLayout: string; reason: string; advice: string };

const PATH_ADVICE = {
  PATH_PREFIX_MISSING:
    "The sender must sign the path as sent, with the wallet's prefix (e.g. /api/open/v2/payments/pay): with a gateway URL that ends in the prefix, some SDKs sign only the API path.",
  PATH_PREFIX_EXTRA:
    'The sender signed the public path: verify over that path (behind a proxy that strips a prefix, pass the path the sender used, not the one your server sees).',
  PATH_DIFFERS:
    'The signed path is the request target exactly as sent (query string included): sign and verify the same one.',
};

/** Paths a sender may have signed instead of `path`, each with what it would mean. */
function pathVariants(path: string, extraPrefixes: readonly string[]): PathFound[] {
  const queryAt = path.indexOf('?');
  const pathname = queryAt < 0 ? path : path.slice(0, queryAt);
  const query = queryAt < 0 ? '' : path.slice(queryAt);
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const prefixes = [
    ...new Set(
      [...extraPrefixes, ...USUAL_PREFIXES]
        .map((prefix) => prefix.replace(/\/+$/, ''))
        .filter((p) => p.startsWith('/')),
    ),
  ];
  const variants: PathFound[] = [];
  const add = (
    cause: 'PATH_PREFIX_MISSING' | 'PATH_PREFIX_EXTRA' | 'PATH_DIFFERS',
    signedPath: string,
    reason: string,
  ) => variants.push({ cause, signedPath, reason, advice: PATH_ADVICE[cause] });
  for (let k = 1; k < segments.length; k++) {
    const signedPath = `/${segments.slice(k).join('/')}${query}`;
    add(
      'PATH_PREFIX_MISSING',
      signedPath,
      `signed over ${signedPath}, without the prefix /${segments.slice(0, k).join('/')} of ${path}`,
    );
  }
  for (const prefix of prefixes) {
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) continue;
    add(
      'PATH_PREFIX_EXTRA',
      prefix + path,
      `signed over ${prefix + path}, with the prefix ${prefix} that ${path} lacks`,
    );
  }
  const other = (signedPath: string) => add('PATH_DIFFERS', signedPath, `signed over ${signedPath}, not ${path}`);
  if (query) other(pathname);
  other((pathname.endsWith('/') ? pathname.replace(/\/+$/, '') : `${pathname}/`) + query);
  try {
    const decoded = decodeURI(pathname);
    if (decoded !== pathname) other(decoded + query);
  } catch {
    // A malformed escape: nothing to try.
  }
  for (let k = 1; k < segments.length; k++) {
    for (const prefix of prefixes) other(`${prefix}/${segments.slice(k).join('/')}${query}`);
  }
  const seen = new Set([path, '']);
  return variants.filter((variant) => !seen.has(variant.signedPath) && seen.add(variant.signedPath));
}

/** Bodies the sender may have signed instead: the same JSON in other layouts, the same text with other line breaks. */
function bodyVariants(body: RawBody): Array<{ name: string; text: string }> {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const variants = textVariants(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return variants;
  }
  for (const layout of JSON_LAYOUTS) variants.push({ name: layout.name, text: layout.render(value) });
  const seen = new Set([text]);
  return variants.filter((variant) => !seen.has(variant.text) && seen.add(variant.text));
}

function signatureText(cause: 'SIGNATURE_NOT_URL_DECODED' | 'SIGNATURE_PLUS_AS_SPACE'): string {
  return cause === 'SIGNATURE_NOT_URL_DECODED'
    ? 'the signature is URL-encoded twice (it verifies once decoded a second time)'
    : 'the signature has spaces where its Base64 had "+" (it went through a form decoder)';
}

function headerProblem(value: string): string {
  const names = value.split(',').map((part) => part.split('=')[0]?.trim().toLowerCase() ?? '');
  if (!names.includes('signature')) return 'there is no signature=<value> pair';
  for (const name of ['signature', 'algorithm', 'keyversion']) {
    if (names.filter((candidate) => candidate === name).length > 1)
      return `${name} appears twice (two Signature headers joined?)`;
  }
  const algorithm = /algorithm\s*=\s*([^,]*)/i.exec(value)?.[1]?.trim();
  if (algorithm !== undefined && !/^(RSA256|ECC224)$/i.test(algorithm))
    return `the algorithm ${JSON.stringify(algorithm.slice(0, 16))} is neither RSA256 nor ECC224`;
  return 'the signature value is not Base64 (after URL-decoding)';
}

function describeKind(key: KeyObject): string {
  const kind = keyKind(key);
  return kind === 'rsa' ? 'an RSA key' : kind === 'ec-p224' ? 'an EC P-224 key' : `a ${kind} key`;
}
