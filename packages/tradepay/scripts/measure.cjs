// Shared by `npm run size` (scripts/size.mjs) and test/dist.test.ts, so both report the same figure:
// the built ESM entry, minified by terser as a mini program build would, then gzipped at level 9.
'use strict';
const { execFileSync } = require('node:child_process');
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const packageDir = join(__dirname, '..');
const entry = join(packageDir, 'dist', 'index.mjs');
/** The budget for the minified and gzipped ESM entry. */
const LIMIT = 2048;

function newestSource(dir) {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((d) =>
      d.isDirectory() ? newestSource(join(dir, d.name)) : statSync(join(dir, d.name)).mtimeMs,
    ),
  );
}

/** Builds with the package's own rollup config when dist is missing or older than a source file. */
function ensureBuilt() {
  let built = 0;
  try {
    built = statSync(entry).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newestSource(join(packageDir, 'src'))) {
    execFileSync(process.execPath, [require.resolve('rollup/dist/bin/rollup'), '-c', 'rollup.config.mjs'], {
      cwd: packageDir,
      stdio: 'pipe',
    });
  }
  return readFileSync(entry, 'utf8');
}

/** @returns {Promise<{ code: string, minified: string, minGzipBytes: number }>} */
async function measure() {
  const { minify } = require('terser');
  const code = ensureBuilt();
  const { code: minified } = await minify(code, { module: true, ecma: 2017, compress: { passes: 2 } });
  return { code, minified, minGzipBytes: gzipSync(minified, { level: 9 }).length };
}

module.exports = { LIMIT, entry, measure };
