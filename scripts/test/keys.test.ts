import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npm } from './helpers';

describe('npm run keys', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'minipay-keys-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('creates the development keys and prints the merchant public key as a wallet console takes it', async () => {
    const run = npm(['run', 'keys', '--silent'], { MINIPAY_HOME: home });
    expect(await run.exited).toBe(0);
    const pem = readFileSync(join(home, 'merchant-public.pem'), 'utf8');
    const bare = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(run.output()).toContain(bare);
    expect(run.output()).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY/);
  });

  it('rotates the merchant key and keeps the old pair beside the new one', async () => {
    const before = readFileSync(join(home, 'merchant-private.pem'), 'utf8');
    const run = npm(['run', 'keys', '--silent', '--', '--rotate'], { MINIPAY_HOME: home });
    expect(await run.exited).toBe(0);
    expect(readFileSync(join(home, 'merchant-private.pem'), 'utf8')).not.toBe(before);
    const old = readdirSync(home).filter((file) => file.startsWith('merchant-private.') && file.endsWith('.pem.old'));
    expect(old).toHaveLength(1);
    expect(readFileSync(join(home, old[0]!), 'utf8')).toBe(before);
    expect(run.output()).toMatch(/Restart `npm start`/);
  });
});

describe('npm run keys -- --rotate-wallet', () => {
  it('rotates the sandbox wallet key and leaves the merchant key alone', async () => {
    const home = mkdtempSync(join(tmpdir(), 'minipay-keys-'));
    try {
      expect(await npm(['run', 'keys', '--silent'], { MINIPAY_HOME: home }).exited).toBe(0);
      const merchant = readFileSync(join(home, 'merchant-private.pem'), 'utf8');
      const wallet = readFileSync(join(home, 'wallet-private.pem'), 'utf8');
      expect(await npm(['run', 'keys', '--silent', '--', '--rotate-wallet'], { MINIPAY_HOME: home }).exited).toBe(0);
      expect(readFileSync(join(home, 'wallet-private.pem'), 'utf8')).not.toBe(wallet);
      expect(readFileSync(join(home, 'merchant-private.pem'), 'utf8')).toBe(merchant);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
