// The commands exist from `npm install` on: each bin is a committed entry that runs dist/, so npm links it in a
// fresh clone before anything is built (a bin pointing into dist/ would not be linked, and `npx minipay-sandbox`
// would ask the registry, which answers 404). Proven in a fresh install of the manifests and the committed bins.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { npmSync, posix, repoRoot } from './helpers';

const packages = readdirSync(join(repoRoot, 'packages')).map((name) => `packages/${name}`);
const bins = packages.flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
  };
  return Object.entries(manifest.bin ?? {}).map(([name, file]) => ({ name, file: join(dir, file) }));
});

test('every bin is a committed file outside dist/', () => {
  expect(bins.map((bin) => bin.name).sort()).toEqual([
    'minipay-merchant',
    'minipay-openapi',
    'minipay-preview',
    'minipay-sandbox',
  ]);
  const tracked = spawnSync('git', ['ls-files', ...bins.map((bin) => bin.file)], { cwd: repoRoot, encoding: 'utf8' })
    .stdout.trim()
    .split('\n');
  expect(tracked.sort()).toEqual(bins.map((bin) => bin.file).sort());
  for (const bin of bins) {
    expect(bin.file).not.toMatch(/\/dist\//);
    // The executable bit, which npm's links need on Linux and macOS (Windows has none; npm writes .cmd shims there).
    if (posix) expect(statSync(join(repoRoot, bin.file)).mode & 0o111).not.toBe(0);
  }
});

test('in a fresh install before any build, npx minipay-sandbox --help answers with what to run', () => {
  const temp = mkdtempSync(join(tmpdir(), 'minipay-bins-'));
  try {
    const files = [
      'package.json',
      'package-lock.json',
      'mini-app/package.json',
      ...packages.map((dir) => `${dir}/package.json`),
      ...bins.map((bin) => bin.file),
    ];
    for (const file of files) {
      mkdirSync(dirname(join(temp, file)), { recursive: true });
      copyFileSync(join(repoRoot, file), join(temp, file));
    }
    // CI's `npm ci` has just filled the cache; prefer it, but fall back to the registry rather than fail.
    const install = npmSync(['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: temp });
    expect(install.status).toBe(0);
    for (const bin of bins) {
      // `npx --no-install <bin>`, as `npm exec` (npx is a batch file on Windows too).
      const run = npmSync(['exec', '--no', '--', bin.name, '--help'], { cwd: temp });
      expect(`${run.stdout}${run.stderr}`).toBe(
        `${bin.name} is not built yet: run \`npm run build\` at the repository root (or \`npm start\`, which builds what it needs)\n`,
      );
      // minipay-openapi's own exit codes say 2 for "could not check".
      expect(run.status).toBe(bin.name === 'minipay-openapi' ? 2 : 1);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}, 240_000);

test('once built, the same entry runs the command', () => {
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'packages/wallet-sandbox/bin/minipay-sandbox.cjs'), '--help'],
    { encoding: 'utf8' },
  );
  expect(run.stdout).toContain('Usage: minipay-sandbox');
  expect(run.status).toBe(0);
});
