import { createPrivateKey, createPublicKey, sign as rawSign, verify as rawVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevHomeError, ensureDevHome, resolveDevHome, rotateWalletKey } from '@minipay/dev-home';

describe('ensureDevHome', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'minipay-home-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('creates the files of PROTOCOL §8 with private keys readable by the owner only', async () => {
    const dev = await ensureDevHome(home);
    for (const file of [
      'merchant-private.pem',
      'merchant-public.pem',
      'wallet-private.pem',
      'wallet-public.pem',
      'config.json',
    ]) {
      expect(statSync(join(home, file)).isFile()).toBe(true);
    }
    // Windows has no POSIX permission bits (there, the user's profile folder keeps them private).
    if (process.platform !== 'win32') expect(statSync(join(home, 'merchant-private.pem')).mode & 0o777).toBe(0o600);
    expect(dev.notices).toEqual([]);
    expect(dev.merchantPrivateKey).toContain('BEGIN PRIVATE KEY');
    expect(dev.walletPublicKey).toContain('BEGIN PUBLIC KEY');
    expect(dev.clientId).toMatch(/^SANDBOX_[0-9A-F]{12}$/);
    expect(dev.paths.database).toBe(join(home, 'merchant.db'));
  });

  it('pairs each public key with its private key', async () => {
    const dev = await ensureDevHome(home);
    const data = Buffer.from('content');
    const signature = rawSign('sha256', data, createPrivateKey(dev.merchantPrivateKey));
    expect(rawVerify('sha256', data, createPublicKey(dev.merchantPublicKey), signature)).toBe(true);
    expect(rawVerify('sha256', data, createPublicKey(dev.walletPublicKey), signature)).toBe(false);
  });

  it('keeps what exists and re-derives a public key that was deleted or replaced', async () => {
    const first = await ensureDevHome(home);
    writeFileSync(join(home, 'merchant-public.pem'), 'garbage');
    const second = await ensureDevHome(home);
    expect(second.merchantPrivateKey).toBe(first.merchantPrivateKey);
    expect(second.clientId).toBe(first.clientId);
    expect(readFileSync(join(home, 'merchant-public.pem'), 'utf8')).toBe(first.merchantPublicKey);
  });

  it('says so when a private key of a set-up home was deleted and a new pair was made', async () => {
    const first = await ensureDevHome(home);
    rmSync(join(home, 'merchant-private.pem'));
    const second = await ensureDevHome(home);
    expect(second.merchantPublicKey).not.toBe(first.merchantPublicKey);
    expect(second.notices).toHaveLength(1);
    expect(second.notices[0]).toContain(
      `${join(home, 'merchant-private.pem')} was missing, so a new merchant key pair`,
    );
    expect(second.notices[0]).toMatch(/refuses every request with INVALID_SIGNATURE .*npm run keys/);

    rmSync(join(home, 'wallet-private.pem'));
    expect((await ensureDevHome(home)).notices).toEqual([
      expect.stringMatching(/wallet-private\.pem was missing, so a new sandbox wallet key pair was made/),
    ]);
    expect((await ensureDevHome(home)).notices).toEqual([]);
  });

  it('names the file and the fix when config.json is broken', async () => {
    await ensureDevHome(home);
    writeFileSync(join(home, 'config.json'), '{"clientId": 1}');
    await expect(ensureDevHome(home)).rejects.toThrow(/config\.json must hold .*delete it/);
    await expect(ensureDevHome(home)).rejects.toMatchObject({ name: 'DevHomeError', code: 'INVALID_CONFIG' });
    await expect(ensureDevHome(home)).rejects.toBeInstanceOf(DevHomeError);
  });

  it('says config.json is not JSON without quoting it, not even in the cause (it holds the session secret)', async () => {
    await ensureDevHome(home);
    const secret = 'TOPSECRETSESSIONVALUE';
    writeFileSync(join(home, 'config.json'), `{"clientId":"SANDBOX_1","sessionSecret":${secret}}`);
    let error: (Error & { cause?: unknown }) | undefined;
    try {
      await ensureDevHome(home);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/config\.json is not valid JSON; delete it/);
    const told = `${error?.message} ${String(error?.cause ?? '')} ${(error?.cause as Error | undefined)?.message ?? ''}`;
    for (let i = 0; i + 6 <= secret.length; i++) expect(told).not.toContain(secret.slice(i, i + 6));
  });

  it('two processes starting at once end up with one set of keys', async () => {
    const [a, b] = await Promise.all([ensureDevHome(home), ensureDevHome(home)]);
    expect(a.merchantPrivateKey).toBe(b.merchantPrivateKey);
    expect(a.walletPrivateKey).toBe(b.walletPrivateKey);
    expect(a.clientId).toBe(b.clientId);
  });

  it('resolves MINIPAY_HOME first, then .minipay at the repo root', () => {
    expect(resolveDevHome('/x', { MINIPAY_HOME: home })).toBe(home);
    expect(resolveDevHome(join(__dirname, '..', 'src'), {})).toBe(join(__dirname, '..', '..', '..', '.minipay'));
  });
});

test('rotateWalletKey: each rotation retires the current public key under its version and makes the next one', async () => {
  const home = mkdtempSync(join(tmpdir(), 'minipay-rotate-'));
  try {
    const first = await ensureDevHome(home);
    expect(first.walletKeyVersion).toBe('1');
    expect(first.walletPublicKeys).toEqual({ '1': first.walletPublicKey });
    const second = await rotateWalletKey(home);
    const third = await rotateWalletKey(home);
    expect(third.walletKeyVersion).toBe('3');
    expect(third.walletPublicKeys).toEqual({
      '1': first.walletPublicKey,
      '2': second.walletPublicKey,
      '3': third.walletPublicKey,
    });
    expect(new Set([first.walletPrivateKey, second.walletPrivateKey, third.walletPrivateKey]).size).toBe(3);
    // Deleting a retired key removes that version only; the version count goes on.
    rmSync(join(home, 'wallet-public.v1.pem'));
    const after = await ensureDevHome(home);
    expect(Object.keys(after.walletPublicKeys).sort()).toEqual(['2', '3']);
    expect(after.walletKeyVersion).toBe('3');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
