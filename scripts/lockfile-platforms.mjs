// `npm run lockfile:platforms`: after `npm install` changes package-lock.json, run this so that `npm ci` accepts it.
//
// Why: the registry this project is built against serves a package's native binaries only for some platforms
// (e.g. it has @rollup/rollup-linux-x64-gnu but answers 404 for @rollup/rollup-darwin-arm64). `npm install` then
// leaves those optional dependencies out of the lock file, and `npm ci` refuses a lock file that lacks them
// ("Missing: @rollup/rollup-darwin-arm64@ from lock file"). This adds an entry for each such binary package with the
// platform it is for, read from its name (the convention of rollup, swc and friends), so that npm ci skips it on
// every other platform exactly as it would with the registry's own metadata. Nothing is downloaded for these
// entries unless a machine of that platform installs, and then from its own registry.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformOf } from './lib/platform-of.mjs';
import { repoRoot } from './lib/stack.mjs';

const file = join(repoRoot, 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const installedAt = [`${path ? `${path}/` : ''}node_modules/${name}`, `node_modules/${name}`];
    if (installedAt.some((candidate) => lock.packages[candidate])) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    // Fields in npm's own order (version first, then alphabetical), so a later `npm install` leaves them alone.
    const fields = {
      cpu: platform.cpu,
      ...(entry.dev ? { dev: true } : {}),
      libc: platform.libc,
      optional: true,
      os: platform.os,
    };
    lock.packages[`node_modules/${name}`] = { version, ...JSON.parse(JSON.stringify(fields)) };
    added.push(`${name}@${version}`);
  }
}
// npm keeps `packages` sorted by path; so do we, so that the next `npm install` changes only what it must.
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  added.length
    ? `added ${added.length} platform entries: ${added.join(', ')}`
    : 'package-lock.json already lists every platform binary',
);
