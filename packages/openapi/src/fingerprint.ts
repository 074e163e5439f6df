// A key's fingerprint: how the signature doctor names "the key tried" and "the key that would verify" without
// showing either key. Public material only: a private key is fingerprinted by its public half.
import { createHash, createPublicKey, KeyObject } from 'node:crypto';
import { KeyFormatError } from './errors';
import { parsePrivateKey, parsePublicKey, type KeyInput } from './keys';

/**
 * `SHA256:<Base64>` of the key's SubjectPublicKeyInfo (DER), the same text as
 * `openssl pkey -pubin -in public.pem -outform DER | openssl dgst -sha256 -binary | openssl base64` after "SHA256:".
 * A private key (PEM, Base64 or KeyObject) gives the fingerprint of its public key.
 * @throws KeyFormatError when `key` is no key at all.
 */
export function keyFingerprint(key: KeyInput): string {
  return `SHA256:${createHash('sha256')
    .update(publicHalf(key).export({ type: 'spki', format: 'der' }))
    .digest('base64')}`;
}

function publicHalf(key: KeyInput): KeyObject {
  if (key instanceof KeyObject) return key.type === 'private' ? createPublicKey(key) : parsePublicKey(key, 'key');
  try {
    return parsePublicKey(key, 'key');
  } catch (error) {
    if (!(error instanceof KeyFormatError)) throw error;
    try {
      return createPublicKey(parsePrivateKey(key, 'key'));
    } catch {
      throw error;
    }
  }
}
