// `npm run lockfile:platforms`: after `npm install` changes package-lock.json, run this so that `npm ci` accepts it.
//
// Why: the registry this project is built against serves a package's native binaries only for some platforms
// (e.g. it has @rollup/rollup-linux-x64-gnu but answers 404 for @rollup/rollup-darwin-arm64). `npm install` then
// leaves those optional dependencies out of the lock file, and `npm ci` refuses a lock file that lacks them
// ("Missing: @rollup/rollup-darwin-arm64@ from lock file"). This adds an entry for each such binary package with the
// platform it is for, read from its name (the convention of rollup, swc and friends), so that npm ci skips it on
// every other platform exactly as it would with the registry's own metadata. Nothing is downloaded for these
// entries unless a machine of that platform installs, and then from its own registry.
//
// Each such entry also gets the `integrity` the registry publishes for it (`npm view <name>@<version>
// dist.integrity`: the registry serves a package's metadata even where it answers 404 for its tarball), so the
// machine of that platform checks what it downloads, as it does every other package. An entry whose integrity the
// registry does not give is named in the output and left without it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformOf } from './lib/platform-of.mjs';
import { messageOf, repoRoot, runNpm } from './lib/stack.mjs';

const file = join(repoRoot, 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = new Set();
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = `node_modules/${name}`;
    const installedAt = [`${path ? `${path}/` : ''}node_modules/${name}`, at];
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
    lock.packages[at] = { version, ...JSON.parse(JSON.stringify(fields)) };
    added.add(at);
  }
}

// The integrity of every platform binary that lacks one (those added above, and any added before this step existed).
const withIntegrity = [];
const without = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  if (entry.integrity || !entry.optional || !(entry.os || entry.cpu) || !path.startsWith('node_modules/')) continue;
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  try {
    const integrity = runNpm(['view', `${name}@${entry.version}`, 'dist.integrity']).trim();
    if (!/^sha\d+-/.test(integrity)) throw new Error(`the registry gave no integrity (${JSON.stringify(integrity)})`);
    // npm's order: version, resolved, integrity, then the rest.
    const { version, resolved, ...rest } = entry;
    lock.packages[path] = { version, ...(resolved ? { resolved } : {}), integrity, ...rest };
    withIntegrity.push(`${name}@${entry.version}`);
  } catch (error) {
    without.push(`${name}@${entry.version}: ${messageOf(error).split('\n')[0]}`);
  }
}

// The new entries go where npm would put them, among the others in npm's own order (a locale compare, which is not
// JavaScript's `<`: it puts string_decoder before string-width); the existing entries keep their order, so that
// neither this nor the next `npm install` moves anything else.
if (added.size > 0) {
  const ordered = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (added.has(path)) continue;
    for (const name of added) {
      if (!(name in ordered) && path !== '' && name.localeCompare(path, 'en') < 0) ordered[name] = lock.packages[name];
    }
    ordered[path] = entry;
  }
  for (const name of added) if (!(name in ordered)) ordered[name] = lock.packages[name];
  lock.packages = ordered;
}
if (added.size > 0 || withIntegrity.length > 0) writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  added.size > 0
    ? `added ${added.size} platform entries: ${[...added].map((path) => path.slice('node_modules/'.length)).join(', ')}`
    : 'package-lock.json already lists every platform binary',
);
if (withIntegrity.length > 0)
  console.log(`recorded the integrity of ${withIntegrity.length}: ${withIntegrity.join(', ')}`);
if (without.length > 0) {
  console.log(`no integrity from the registry for ${without.length} (left without):\n  ${without.join('\n  ')}`);
}
