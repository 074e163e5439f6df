// The workspace packages by name → their TypeScript sources, declared once in `tsconfig.sources.json` (the paths the
// mini program's tsconfigs extend) and read from there by jest's module mapper and the mini program's build, so a
// test, a type check and a bundle all see the same sources and never a stale `dist`.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const repoRoot = join(__dirname, '..', '..');

/** `[{ pattern, target }]`: `pattern` matches an import name, `target(name)` is the absolute source file. */
function sourceAliases() {
  const { paths } = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.sources.json'), 'utf8')).compilerOptions;
  return Object.entries(paths).map(([name, [target]]) => {
    const [prefix, suffix = ''] = name.split('*');
    const wildcard = name.includes('*');
    const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const pattern = new RegExp(`^${escape(prefix)}${wildcard ? '([a-z-]+)' : ''}${escape(suffix)}$`);
    return {
      pattern,
      jestTarget: `<rootDir>/${target.replace(/^\.\//, '').replace('*', '$1')}`,
      target: (source) => join(repoRoot, target.replace('*', wildcard ? pattern.exec(source)[1] : '')),
    };
  });
}

/** The aliases as jest's `moduleNameMapper` (in declaration order: the specific ones first). */
function jestModuleNameMapper() {
  return Object.fromEntries(sourceAliases().map(({ pattern, jestTarget }) => [pattern.source, jestTarget]));
}

/** The source file of a workspace import, or undefined when `source` is not a workspace package. */
function resolveSourceAlias(source) {
  const alias = sourceAliases().find(({ pattern }) => pattern.test(source));
  return alias === undefined ? undefined : alias.target(source);
}

module.exports = { sourceAliases, jestModuleNameMapper, resolveSourceAlias };
