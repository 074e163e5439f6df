// The `prepack` of every published package (`npm pack`, `npm publish`): builds its `dist`, and first the workspace
// packages its build is made from (a published package bundles the private ones, e.g. @minipay/dev-home, from their
// `dist`), in dependency order. What is already built from the current sources is not built again (stack.mjs's
// staleness check: sources, package.json, rollup and tsconfig files). npm runs it in the package's folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStale, messageOf, repoRoot } from './lib/stack.mjs';

/** The folder name of a workspace package `@minipay/<name>`, or undefined for another package. */
function workspaceName(dependency) {
  return dependency.startsWith('@minipay/') ? dependency.slice('@minipay/'.length) : undefined;
}

function manifest(name) {
  return JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8'));
}

/**
 * `name` and the workspace packages its build reads, dependencies first: its dependencies (their types) and its
 * private devDependencies (bundled in, as rollup-library.mjs does).
 */
function buildOrder(name, order = [], visiting = new Set()) {
  if (order.includes(name) || visiting.has(name)) return order;
  visiting.add(name);
  const own = manifest(name);
  const needed = [
    ...Object.keys(own.dependencies ?? {}),
    ...Object.keys(own.devDependencies ?? {}).filter(
      (dev) => workspaceName(dev) && manifest(workspaceName(dev)).private,
    ),
  ];
  for (const dependency of needed) {
    const inner = workspaceName(dependency);
    if (inner !== undefined) buildOrder(inner, order, visiting);
  }
  order.push(name);
  return order;
}

try {
  const name = workspaceName(process.env.npm_package_name ?? '');
  if (name === undefined) throw new Error('run this as the prepack script of a @minipay package (npm pack -w ...)');
  // Progress on stderr: `npm pack --json` prints its answer on stdout.
  buildStale(buildOrder(name), (line) => console.error(line));
} catch (error) {
  console.error(`prepack: ${messageOf(error)}`);
  process.exitCode = 1;
}
