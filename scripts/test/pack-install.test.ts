// Every published package leaves the monorepo: `npm pack` makes a tarball with its build (prepack builds it), and
// the tarballs install into a fresh project outside the repository, from the local files only (the @minipay
// packages resolve to one another's tarballs, never to the registry), where each imports as ESM and CommonJS, each
// command answers, and a README example of each type-checks with the project's own `typescript`. One pack of each
// package and one install, as the READMEs tell a user to do before the packages are on the registry.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmSync, repoRoot } from './helpers';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  engines?: { node?: string };
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const published = readdirSync(join(repoRoot, 'packages'))
  .map((folder) => ({ folder, dir: join(repoRoot, 'packages', folder) }))
  .map((entry) => ({ ...entry, manifest: manifest(entry.dir) }))
  .filter((entry) => entry.manifest.private !== true);
// What the fresh project installs beside the tarballs, at the versions the repository uses.
const tools = ['typescript', '@types/node', '@mini-types/alipay'].map(
  (name) => `${name}@${manifest(join(repoRoot, 'node_modules', name)).version}`,
);

/** The first README example of a package that is a module (the API sections hold signatures, not code). */
function firstExample(dir: string): string {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((code) => code.startsWith('import '));
  if (example === undefined) throw new Error(`${dir}/README.md has no example that imports the package`);
  return example;
}

test('the published packages are the six the READMEs document', () => {
  expect(published.map((entry) => entry.manifest.name).sort()).toEqual([
    '@minipay/contract',
    '@minipay/merchant-server',
    '@minipay/openapi',
    '@minipay/preview',
    '@minipay/tradepay',
    '@minipay/wallet-sandbox',
  ]);
});

test.each(published.map((entry) => [entry.manifest.name, entry.manifest] as const))(
  '%s builds before it packs, ships dist/ and its bins, and lists `types` first in every export',
  (_name, own) => {
    expect(own.scripts?.prepack).toBe('node ../../scripts/prepack.mjs');
    for (const [subpath, target] of Object.entries(own.exports ?? {})) {
      if (typeof target === 'string') continue;
      // TypeScript takes the first condition that matches: `types` after `import` would never be read.
      expect([subpath, Object.keys(target)[0]]).toEqual([subpath, 'types']);
    }
    // The Node versions the root states (tradepay and contract run in a mini program, not in Node).
    if (!['@minipay/tradepay', '@minipay/contract'].includes(own.name)) {
      expect(own.engines?.node).toBe(manifest(repoRoot).engines?.node);
    }
    // A workspace package a published one needs at run time, or for its types, must be published too.
    for (const dependency of Object.keys(own.dependencies ?? {}).filter((name) => name.startsWith('@minipay/'))) {
      expect(published.map((entry) => entry.manifest.name)).toContain(dependency);
    }
  },
);

describe('npm pack, then npm install of the tarballs into a fresh project', () => {
  let temp: string;
  let project: string;
  let packed: { name: string; filename: string; files: { path: string; size: number }[] }[];

  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'minipay-pack-'));
    const packs = join(temp, 'packs');
    mkdirSync(packs);
    const pack = npmSync([
      'pack',
      ...published.flatMap((entry) => ['-w', entry.manifest.name]),
      '--pack-destination',
      packs,
      '--json',
    ]);
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
    packed = JSON.parse(pack.stdout) as typeof packed;

    // A project of one's own, nowhere near the repository: nothing can resolve through the workspace.
    project = join(temp, 'my-project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-project', private: true }, null, 2));
    const install = npmSync(
      [
        'install',
        ...packed.map((entry) => join(packs, entry.filename)),
        ...tools,
        // The registry is asked only for third-party packages, from the cache when it has them. Install scripts are
        // not run: better-sqlite3 would compile its addon from source here (minutes), and nothing below opens a
        // database.
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: project },
    );
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  }, 600_000);

  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('packs each package once, with its build, README and bins, and none of its sources or tests', () => {
    expect(packed.map((entry) => entry.name).sort()).toEqual(published.map((entry) => entry.manifest.name).sort());
    for (const entry of packed) {
      const own = published.find((candidate) => candidate.manifest.name === entry.name)!.manifest;
      const files = entry.files.map((file) => file.path);
      expect(files).toEqual(
        expect.arrayContaining([
          'package.json',
          'README.md',
          'dist/index.mjs',
          'dist/index.cjs',
          'dist/index.d.ts',
          ...Object.values(own.bin ?? {}).map((bin) => bin.replace(/^\.\//, '')),
        ]),
      );
      expect(files.filter((file) => /^(src|test|bench)\//.test(file) || file.endsWith('.tsbuildinfo'))).toEqual([]);
      // A command that exports nothing gets no declaration file (it would be an empty `export {};`).
      expect(
        entry.files.filter((file) => file.path.endsWith('.d.ts') && file.size < 32).map((file) => file.path),
      ).toEqual([]);
    }
  });

  it('resolves every @minipay package to its tarball, once (no nested copy, nothing from the registry)', () => {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; version?: string }>;
    };
    const minipay = Object.entries(lock.packages).filter(([path]) => /node_modules\/@minipay\//.test(path));
    expect(minipay.map(([path]) => path).sort()).toEqual(
      published.map((entry) => `node_modules/${entry.manifest.name}`).sort(),
    );
    for (const [, entry] of minipay) expect(entry.resolved).toMatch(/^file:.*\.tgz$/);
  });

  it('imports each package as ESM and as CommonJS, with the same exports', () => {
    const names = published.map((entry) => entry.manifest.name);
    const script = `
      const { createRequire } = require('node:module');
      const load = createRequire(${JSON.stringify(join(project, 'package.json'))});
      (async () => {
        const out = {};
        for (const name of ${JSON.stringify(names)}) {
          out[name] = { cjs: Object.keys(load(name)).sort(), esm: Object.keys(await import(name)).filter((key) => key !== 'default').sort() };
        }
        console.log(JSON.stringify(out));
      })().catch((error) => { console.error(error); process.exit(1); });`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const exported = JSON.parse(result.stdout) as Record<string, { cjs: string[]; esm: string[] }>;
    for (const name of names) {
      expect(exported[name]!.cjs.length).toBeGreaterThan(0);
      expect(exported[name]!.esm).toEqual(exported[name]!.cjs);
    }
    expect(exported['@minipay/tradepay']!.cjs).toEqual(expect.arrayContaining(['tradePay', 'confirmPayment']));
    expect(exported['@minipay/merchant-server']!.cjs).toContain('startMerchantServer');
  });

  it('runs each command from the installed package (--help)', () => {
    for (const { manifest: own } of published) {
      for (const [bin, file] of Object.entries(own.bin ?? {})) {
        const result = spawnSync(process.execPath, [join(project, 'node_modules', own.name, file), '--help'], {
          cwd: project,
          encoding: 'utf8',
        });
        expect([bin, result.status, result.stdout]).toEqual([bin, 0, expect.stringContaining(`Usage: ${bin}`)]);
      }
    }
  });

  it("type-checks a README example of each package with the project's typescript", () => {
    // The Node packages as a Node project compiles them (ESM, strict, our .d.ts checked too); tradepay as a mini
    // program does (ES2017, @mini-types/alipay, whose own declarations need skipLibCheck: see the root README).
    const groups = {
      node: {
        ext: 'mts',
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'] },
      },
      mini: {
        ext: 'ts',
        compilerOptions: {
          module: 'esnext',
          moduleResolution: 'bundler',
          target: 'es2017',
          lib: ['es2017'],
          types: ['@mini-types/alipay'],
          skipLibCheck: true,
        },
      },
    };
    for (const [group, { compilerOptions }] of Object.entries(groups)) {
      mkdirSync(join(project, group));
      writeFileSync(
        join(project, `tsconfig.${group}.json`),
        JSON.stringify({ compilerOptions: { strict: true, noEmit: true, ...compilerOptions }, include: [group] }),
      );
    }
    for (const { folder, dir } of published) {
      const group: keyof typeof groups = folder === 'tradepay' ? 'mini' : 'node';
      writeFileSync(join(project, group, `${folder}-example.${groups[group].ext}`), firstExample(dir));
    }
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const group of Object.keys(groups)) {
      const result = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${group}.json`], {
        cwd: project,
        encoding: 'utf8',
      });
      expect([group, `${result.stdout}${result.stderr}`.trim()]).toEqual([group, '']);
    }
  }, 180_000);
});
