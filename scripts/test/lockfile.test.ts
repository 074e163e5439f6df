import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { npmSync, repoRoot } from './helpers';

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
  'packages/preview/package.json',
  'mini-app/package.json',
];

/** A copy of the manifests and the lock file, as a fresh clone has them. */
function freshCopy(): string {
  const temp = mkdtempSync(join(tmpdir(), 'minipay-lock-'));
  for (const file of manifests) {
    mkdirSync(dirname(join(temp, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(temp, file));
  }
  return temp;
}

describe('package-lock.json', () => {
  it('lists every workspace manifest above', () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { link?: boolean }>;
    };
    const workspaces = Object.keys(lock.packages).filter((path) => /^(packages\/[^/]+|mini-app)$/.test(path));
    expect(manifests.filter((file) => file !== 'package.json' && file !== 'package-lock.json').sort()).toEqual(
      workspaces.map((path) => `${path}/package.json`).sort(),
    );
  });

  it('is accepted by npm ci (CI installs with it), platform binaries included', () => {
    const temp = freshCopy();
    try {
      const result = npmSync(['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: temp });
      expect(result.stderr).not.toMatch(/Missing: .* from lock file/);
      expect(result.status).toBe(0);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }, 120000);

  it('is left as it is by npm install in a fresh clone (the clone is not dirty at once)', () => {
    const temp = freshCopy();
    try {
      const result = npmSync(
        ['install', '--package-lock-only', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'],
        {
          cwd: temp,
        },
      );
      expect(result.status).toBe(0);
      expect(readFileSync(join(temp, 'package-lock.json'), 'utf8')).toBe(
        readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'),
      );
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }, 120000);

  it("records the registry's integrity for every platform binary (darwin and win32 included), so those machines check what they download", () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { os?: string[]; optional?: boolean; integrity?: string }>;
    };
    const binaries = Object.entries(lock.packages).filter(([, entry]) => entry.optional && entry.os);
    expect(binaries.map(([path]) => path)).toEqual(
      expect.arrayContaining(['node_modules/@rollup/rollup-darwin-arm64', 'node_modules/@swc/core-win32-x64-msvc']),
    );
    expect(
      binaries
        .filter(([, entry]) => !/^sha512-[A-Za-z0-9+/]+={0,2}$/.test(entry.integrity ?? ''))
        .map(([path]) => path),
    ).toEqual([]);
  });

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
