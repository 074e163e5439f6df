import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './helpers';

const manifests = [
  'package.json',
  'package-lock.json',
  'packages/contract/package.json',
  'packages/dev-home/package.json',
  'packages/fastify-kit/package.json',
  'packages/testing/package.json',
  'packages/tradepay/package.json',
  'packages/openapi/package.json',
  'packages/wallet-sandbox/package.json',
  'packages/merchant-server/package.json',
  'mini-app/package.json',
];

describe('package-lock.json', () => {
  it('is accepted by npm ci (CI installs with it), platform binaries included', () => {
    const temp = mkdtempSync(join(tmpdir(), 'minipay-lock-'));
    try {
      for (const file of manifests) {
        mkdirSync(dirname(join(temp, file)), { recursive: true });
        copyFileSync(join(repoRoot, file), join(temp, file));
      }
      const result = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: temp,
        encoding: 'utf8',
      });
      expect(result.stderr).not.toMatch(/Missing: .* from lock file/);
      expect(result.status).toBe(0);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }, 120000);

  it.each([
    ['@rollup/rollup-darwin-arm64', { os: ['darwin'], cpu: ['arm64'] }],
    ['@rollup/rollup-linux-arm-musleabihf', { os: ['linux'], cpu: ['arm'], libc: ['musl'] }],
    ['@swc/core-linux-x64-gnu', { os: ['linux'], cpu: ['x64'], libc: ['glibc'] }],
    ['@swc/core-win32-ia32-msvc', { os: ['win32'], cpu: ['ia32'] }],
    ['@unrs/resolver-binding-openharmony-arm64', { os: ['openharmony'], cpu: ['arm64'] }],
    ['fsevents', undefined],
  ])('reads the platform of %s from its name', async (name, platform) => {
    const { platformOf } = await import(join(repoRoot, 'scripts/lib/platform-of.mjs'));
    expect(platformOf(name)).toEqual(platform);
  });
});
