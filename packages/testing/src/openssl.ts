// The openssl CLI as the independent signer and verifier of the conformance fixtures: what it signs was not
// signed by this project's code, so a test that passes proves the wire format, not our agreement with ourselves.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `openssl dgst -sha256 -sign <key>` over `content`: the raw signature bytes (SHA256withRSA for an RSA key). */
export function opensslSign(content: string | Buffer, privateKeyFile: string): Buffer {
  return execFileSync('openssl', ['dgst', '-sha256', '-sign', privateKeyFile], { input: content });
}

/** `openssl dgst -sha256 -verify <key> -signature <sig>` over `content`: whether openssl says "Verified OK". */
export function opensslVerify(content: string | Buffer, signature: Buffer, publicKeyFile: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'minipay-openssl-'));
  try {
    const signatureFile = join(dir, 'signature.bin');
    writeFileSync(signatureFile, signature);
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', publicKeyFile, '-signature', signatureFile], {
      input: content,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return out.toString('utf8').includes('Verified OK');
  } catch {
    // openssl exits with 1 and "Verification failure" for a signature that does not verify.
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
