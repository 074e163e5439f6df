// The library shape every package builds with (scripts/rollup-library.mjs), run as `npm run build` runs it
// (rollup's command on the package's rollup.config.mjs), on a small package of its own in a temp folder: the
// repository's packages stay as the suite's build left them, since other suites read their dist meanwhile.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './helpers';

const rollupBin = join(repoRoot, 'node_modules', 'rollup', 'dist', 'bin', 'rollup');
const libraryModule = pathToFileURL(join(repoRoot, 'scripts', 'rollup-library.mjs')).href;

let packageDir: string;
beforeEach(() => {
  packageDir = mkdtempSync(join(tmpdir(), 'minipay-rollup-library-'));
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: '@minipay/fixture', version: '0.0.0' }));
  writeFileSync(
    join(packageDir, 'tsconfig.build.json'),
    JSON.stringify({ extends: join(repoRoot, 'tsconfig.json'), compilerOptions: { types: [] }, include: ['src'] }),
  );
  mkdirSync(join(packageDir, 'src'));
  writeFileSync(join(packageDir, 'src', 'index.ts'), 'export const answer: number = 42;\n');
  writeFileSync(
    join(packageDir, 'rollup.config.mjs'),
    `import { libraryConfig } from ${JSON.stringify(libraryModule)};\n` +
      `export default libraryConfig({ packageDir: import.meta.dirname, entries: { index: 'src/index.ts' } });\n`,
  );
  // What an earlier build left: an entry since renamed, and a folder of another bundle.
  mkdirSync(join(packageDir, 'dist', 'browser'), { recursive: true });
  writeFileSync(join(packageDir, 'dist', 'old-name.cjs'), 'module.exports = {};\n');
  writeFileSync(join(packageDir, 'dist', 'browser', 'old.js'), ';\n');
});
afterEach(() => rmSync(packageDir, { recursive: true, force: true }));

function node(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('a build starts from an empty dist: only the files it writes are left to pack', () => {
  const build = node([rollupBin, '-c', 'rollup.config.mjs']);
  expect(build.output).not.toMatch(/error/i);
  expect(build.status).toBe(0);
  expect(readdirSync(join(packageDir, 'dist')).sort()).toEqual(['index.cjs', 'index.d.ts', 'index.mjs']);
});

test('reading the config changes nothing on disk (tools and tests may load it without building)', () => {
  const read = node([
    '--input-type=module',
    '-e',
    `await import(${JSON.stringify(pathToFileURL(join(packageDir, 'rollup.config.mjs')).href)});`,
  ]);
  expect(read.output).toBe('');
  expect(read.status).toBe(0);
  expect(existsSync(join(packageDir, 'dist', 'old-name.cjs'))).toBe(true);
  expect(existsSync(join(packageDir, 'dist', 'browser', 'old.js'))).toBe(true);
});
