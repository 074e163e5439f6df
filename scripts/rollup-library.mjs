// The one rollup shape every library uses: for each entry, ESM (`.mjs`), CommonJS (`.cjs`) and one
// bundled declaration file (`.d.ts`). Dependencies and Node built-ins stay external; the package's
// own `tsconfig.build.json` decides the language target (ES2017 for code that runs in mini programs).
// The workspace's private packages (e.g. @minipay/dev-home) are never published, so a published package that
// uses one (as a devDependency) gets it bundled in, from that package's own build. A build starts from an empty
// dist/, so what `npm pack` ships is only what this build wrote.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

/**
 * @param {{ entries: Record<string, string | { source: string, tsconfig: string }>, packageDir: string, banner?: Record<string, string> }} options
 *   entries: output name → source file (relative to the package), e.g. `{ index: 'src/index.ts' }`, or
 *     `{ source, tsconfig }` for an entry that needs another target (e.g. a mini program part of a Node package).
 *   banner: output name → a first line for that entry (e.g. a shebang for a CLI).
 *   untyped: output names that get no `.d.ts`: a command that exports nothing (its declaration file would be empty,
 *     and rollup warns "Generated an empty chunk").
 */
export function libraryConfig({ entries, packageDir, banner = {}, untyped = [] }) {
  const pkg = JSON.parse(readFileSync(resolve(packageDir, 'package.json'), 'utf8'));
  const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  const external = (id) =>
    id.startsWith('node:') ||
    builtinModules.includes(id) ||
    dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));

  const bundled = privateWorkspacePackages(pkg, packageDir);

  const configs = Object.entries(entries).flatMap(([name, entry]) => {
    const source = typeof entry === 'string' ? entry : entry.source;
    const tsconfig = resolve(packageDir, typeof entry === 'string' ? 'tsconfig.build.json' : entry.tsconfig);
    const input = resolve(packageDir, source);
    const first = banner[name];
    return [
      {
        input,
        external,
        plugins: [
          bundlePrivate(bundled),
          typescript({ tsconfig, compilerOptions: { noEmit: false, declaration: false } }),
        ],
        output: [
          { file: resolve(packageDir, `dist/${name}.mjs`), format: 'es', banner: first },
          { file: resolve(packageDir, `dist/${name}.cjs`), format: 'cjs', banner: first, exports: 'named' },
        ],
        onwarn(warning, warn) {
          // A circular import or a missing export is a bug, not a note.
          if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'MISSING_EXPORT') {
            throw new Error(warning.message);
          }
          warn(warning);
        },
      },
      ...(untyped.includes(name)
        ? []
        : [
            {
              input,
              external,
              plugins: [dts({ tsconfig })],
              output: { file: resolve(packageDir, `dist/${name}.d.ts`), format: 'es' },
            },
          ]),
    ];
  });
  // rollup builds the configs of one file in order: the first one empties dist/ before anything is written.
  configs[0].plugins.unshift(emptyDist(resolve(packageDir, 'dist')));
  return configs;
}

/**
 * Empties `dir` when the build starts, so an entry renamed or removed leaves no old file behind for `npm pack` to
 * ship. In `buildStart`, not when the config is read: reading a config changes nothing on disk.
 */
function emptyDist(dir) {
  return {
    name: 'minipay-empty-dist',
    buildStart() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `@minipay/*` devDependencies that are private workspace packages → their built ESM entry. */
function privateWorkspacePackages(pkg, packageDir) {
  const found = {};
  for (const name of Object.keys(pkg.devDependencies ?? {})) {
    if (!name.startsWith('@minipay/')) continue;
    const dir = resolve(packageDir, '..', name.slice('@minipay/'.length));
    const manifest = resolve(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).private === true) {
      found[name] = resolve(dir, 'dist', 'index.mjs');
    }
  }
  return found;
}

/** Resolves the private packages to their builds, so rollup bundles them instead of leaving an import. */
function bundlePrivate(packages) {
  return {
    name: 'minipay-bundle-private',
    resolveId(source) {
      const built = packages[source];
      if (built === undefined) return null;
      if (!existsSync(built))
        this.error(`${source} is not built yet (${built}): build it first (npm run build builds in order)`);
      return built;
    },
  };
}
