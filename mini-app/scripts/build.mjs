#!/usr/bin/env node
// Builds the mini program from src/ into dist/ (the IDE's miniprogramRoot) with rollup's JS API.
//
//   node scripts/build.mjs [--production [--insecure-merchant-url-for-testing]] [--out-dir <dir>]
//
// Why a script rather than a rollup.config.mjs: besides one rollup run (app + pages + the antd-mini
// components, as CommonJS ES2017 with shared chunks under common/), a mini program build copies the
// templates, styles and JSON of every page and of every component they use, transitively, and the
// entries come from app.json and the pages' usingComponents. A config file could not do the copying
// without becoming this script.
//
// Settings (build time):
//   MINIPAY_MERCHANT_URL  the merchant server (default DEFAULT_MERCHANT_URL of @minipay/contract, http://127.0.0.1:8200)
//   MINIPAY_SANDBOX_URL   the wallet sandbox the dev shim talks to (default DEFAULT_SANDBOX_URL, http://127.0.0.1:8210)
//   MINIPAY_SANDBOX       0/false turns the sandbox shim off in a development build (default on)
//   --production          no sandbox code at all: src/dev-wallet/install.ts is swapped for
//                         install.production.ts before bundling, so neither the shim nor its URL
//                         reaches dist. The merchant URL must be https:// on an address that is not
//                         loopback (productionUrlProblem), unless --insecure-merchant-url-for-testing.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MERCHANT_URL, DEFAULT_SANDBOX_URL } from '@minipay/contract';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { transform } from '@swc/core';
import { rollup } from 'rollup';
import sourceAliases from '../../scripts/lib/source-aliases.cjs';
import { fileReferences, isNodeBuiltin } from './mini-rules.mjs';

const { resolveSourceAlias } = sourceAliases;

const appDir = resolve(import.meta.dirname, '..');
const repoDir = resolve(appDir, '..');
const srcDir = join(appDir, 'src');
const antdDir = join(appDir, 'node_modules/antd-mini/es');
const antdRoot = existsSync(antdDir) ? antdDir : join(repoDir, 'node_modules/antd-mini/es');
/** Where the pages' usingComponents point for antd-mini components, relative to dist. */
const ANTD_PREFIX = 'components/antd-mini/';

const DEFAULTS = { merchantUrl: DEFAULT_MERCHANT_URL, sandboxUrl: DEFAULT_SANDBOX_URL };

/** The flag that lets a production build call an http:// or loopback merchant server, for a test of that build. */
export const INSECURE_FOR_TESTING_FLAG = '--insecure-merchant-url-for-testing';

export const USAGE = `Usage: npm run build:mini [-- --production [${INSECURE_FOR_TESTING_FLAG}]] [-- --out-dir <dir>]

Builds the mini program from mini-app/src into mini-app/dist (or --out-dir), for Mini Program Studio.
  --production    no sandbox code at all: the real wallet's my.tradePay and my.getAuthCode
  ${INSECURE_FOR_TESTING_FLAG}
                  let a production build call an http:// or loopback MINIPAY_MERCHANT_URL (to try a
                  production build against the local stack; never for a release)
  --out-dir <dir> where to build (default mini-app/dist, the folder mini.project.json opens)
  --help          this text
Settings: MINIPAY_MERCHANT_URL (default ${DEFAULT_MERCHANT_URL}), MINIPAY_SANDBOX_URL (default ${DEFAULT_SANDBOX_URL}),
MINIPAY_SANDBOX=0 (a development build without the sandbox shim).`;

/**
 * Why a production mini program must not call `url`, or undefined when it may: a wallet's `my.request` goes only to
 * HTTPS domains on the mini program's whitelist, and on a phone a loopback address is the phone itself.
 */
export function productionUrlProblem(url) {
  const { protocol, hostname } = new URL(url);
  const problems = [];
  if (protocol !== 'https:') problems.push('is not https:// (a wallet only calls HTTPS domains on its whitelist)');
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '0.0.0.0' ||
    host === '::' ||
    host === '::1' ||
    (isIP(host) === 4 && host.startsWith('127.'));
  if (loopback) problems.push('is a loopback address (on a phone, that is the phone itself)');
  return problems.length > 0 ? problems.join(' and ') : undefined;
}

export async function build({
  production = false,
  outDir = join(appDir, 'dist'),
  env = process.env,
  insecureMerchantUrlForTesting = false,
} = {}) {
  const sandbox = !production && !/^(0|false|no|off)$/i.test(env.MINIPAY_SANDBOX ?? '');
  const settings = {
    merchantUrl: env.MINIPAY_MERCHANT_URL || DEFAULTS.merchantUrl,
    sandboxUrl: env.MINIPAY_SANDBOX_URL || DEFAULTS.sandboxUrl,
  };
  for (const [name, value] of [
    ['MINIPAY_MERCHANT_URL', settings.merchantUrl],
    ['MINIPAY_SANDBOX_URL', settings.sandboxUrl],
  ]) {
    if (!/^https?:\/\/[^\s"'\\]+$/.test(value))
      throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  const problem = production && !insecureMerchantUrlForTesting ? productionUrlProblem(settings.merchantUrl) : undefined;
  if (problem) {
    throw new Error(
      `--production refuses MINIPAY_MERCHANT_URL ${settings.merchantUrl}: it ${problem}. Set it to your merchant ` +
        `server's public https:// address; to try a production build against the local stack, add ${INSECURE_FOR_TESTING_FLAG}`,
    );
  }

  assertReplaceable(outDir);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const appJson = readJson(join(srcDir, 'app.json'));
  const pages = appJson.pages ?? [];
  const input = { app: join(srcDir, 'app.ts') };
  for (const page of pages) input[page] = join(srcDir, `${page}.ts`);

  // Every antd-mini component reachable from the pages' usingComponents.
  const components = collectComponents(pages);
  for (const component of components) input[ANTD_PREFIX + component] = join(antdRoot, `${component}.js`);

  const bundle = await rollup({
    input,
    plugins: [
      workspaceAndModes({ production }),
      replace({
        preventAssignment: true,
        values: {
          __MINIPAY_MERCHANT_URL__: JSON.stringify(settings.merchantUrl),
          __MINIPAY_SANDBOX_URL__: JSON.stringify(settings.sandboxUrl),
          __MINIPAY_SANDBOX__: JSON.stringify(sandbox),
        },
      }),
      nodeResolve({ extensions: ['.ts', '.mjs', '.js', '.json'], browser: true, preferBuiltins: false }),
      swcTransform(),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' && String(warning.ids?.[0] ?? '').includes('node_modules')) return;
      if (warning.code === 'MISSING_EXPORT' || warning.code === 'UNRESOLVED_IMPORT') throw new Error(warning.message);
      warn(warning);
    },
  });
  await bundle.write({
    dir: outDir,
    format: 'cjs',
    entryFileNames: '[name].js',
    chunkFileNames: 'common/[name].js',
    exports: 'auto',
    generatedCode: 'es2015',
    interop: 'auto',
  });
  await bundle.close();

  // The app's own non-JS files.
  for (const file of ['app.json', 'app.acss']) copy(join(srcDir, file), join(outDir, file));
  for (const page of pages) {
    for (const ext of ['.axml', '.acss', '.json']) {
      const from = join(srcDir, page + ext);
      if (existsSync(from)) copy(from, join(outDir, page + ext));
    }
  }
  // The components' templates, styles, JSON and SJS (and what those import).
  for (const component of components) copyComponentAssets(component, outDir);

  writeFileSync(
    join(outDir, 'build.json'),
    `${JSON.stringify({ mode: production ? 'production' : 'development', merchantUrl: settings.merchantUrl, shim: sandbox }, null, 2)}\n`,
  );
  return { outDir, production, sandbox, components, ...settings };
}

/** The folders of mini-app/ that are sources, never output. */
const SOURCE_FOLDERS = new Set(['src', 'scripts', 'test', 'node_modules']);

/**
 * The build empties its output folder first, so it refuses one whose contents are not its own: a folder outside
 * mini-app/ must be missing, empty, or a previous build (it has the `build.json` every build writes), and no folder
 * holding mini-app/ or its sources is ever one (`--out-dir ..` would otherwise delete the repository).
 */
function assertReplaceable(outDir) {
  const target = resolve(outDir);
  const within = (dir, parent) => dir === parent || dir.startsWith(parent + sep);
  if (within(appDir, target)) throw new Error(`--out-dir ${target} holds mini-app/ itself; pick a folder of its own`);
  if (within(target, appDir)) {
    const first = relative(appDir, target).split(sep)[0];
    if (SOURCE_FOLDERS.has(first))
      throw new Error(`--out-dir ${target} is inside mini-app/${first}, which is not build output`);
    return;
  }
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new Error(`--out-dir ${target} is a file, not a folder`);
  if (readdirSync(target).length === 0) return;
  let marker;
  try {
    marker = JSON.parse(readFileSync(join(target, 'build.json'), 'utf8'));
  } catch {
    marker = undefined;
  }
  if (!marker || typeof marker.mode !== 'string') {
    throw new Error(
      `--out-dir ${target} is not empty and not a previous build (no build.json): the build would delete what is in it`,
    );
  }
}

/** Resolves the workspace packages to their sources, swaps the dev wallet in production, refuses Node built-ins. */
function workspaceAndModes({ production }) {
  const devWallet = join(srcDir, 'dev-wallet', 'install.ts');
  return {
    name: 'minipay-mini-app',
    async resolveId(source, importer, options) {
      if (isNodeBuiltin(source)) {
        throw new Error(`${source} is a Node built-in (imported by ${importer}); the mini program runtime has none`);
      }
      // Workspace packages are bundled from their TypeScript sources, as jest and the type check see them.
      const workspaceSource = resolveSourceAlias(source);
      if (workspaceSource !== undefined) {
        if (!existsSync(workspaceSource)) throw new Error(`${source} is not there yet: ${workspaceSource}`);
        return workspaceSource;
      }
      if (production && importer && source.startsWith('.')) {
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        if (resolved && resolve(resolved.id) === devWallet) return join(srcDir, 'dev-wallet', 'install.production.ts');
      }
      return null;
    },
  };
}

/** TypeScript and modern dependencies down to ES2017 (what the IDE and older wallets parse). */
function swcTransform() {
  return {
    name: 'swc-es2017',
    async transform(code, id) {
      if (!/\.(m?js|ts)$/.test(id) || id.includes('\0')) return null;
      const typescript = id.endsWith('.ts');
      const output = await transform(code, {
        filename: id,
        sourceMaps: false,
        swcrc: false,
        configFile: false,
        jsc: {
          parser: typescript ? { syntax: 'typescript' } : { syntax: 'ecmascript' },
          target: 'es2017',
          externalHelpers: false,
          keepClassNames: true,
        },
        isModule: true,
      });
      return { code: output.code, map: null };
    },
  };
}

function collectComponents(pages) {
  const found = new Set();
  const visit = (component) => {
    if (found.has(component)) return;
    const json = join(antdRoot, `${component}.json`);
    if (!existsSync(json)) throw new Error(`antd-mini has no component ${component} (${json})`);
    found.add(component);
    for (const target of Object.values(readJson(json).usingComponents ?? {})) {
      visit(toPosix(relative(antdRoot, resolve(dirname(join(antdRoot, component)), target))));
    }
  };
  for (const page of pages) {
    const json = join(srcDir, `${page}.json`);
    if (!existsSync(json)) continue;
    for (const target of Object.values(readJson(json).usingComponents ?? {})) {
      const fromDist = toPosix(join(dirname(page), target));
      if (fromDist.startsWith(ANTD_PREFIX)) visit(fromDist.slice(ANTD_PREFIX.length));
    }
  }
  return [...found].sort();
}

function copyComponentAssets(component, outDir) {
  const copied = new Set();
  const copyAsset = (file) => {
    if (copied.has(file)) return;
    copied.add(file);
    const from = join(antdRoot, file);
    if (!existsSync(from)) throw new Error(`antd-mini file missing: ${file}`);
    copy(from, join(outDir, ANTD_PREFIX, file));
    for (const ref of fileReferences(file, readFileSync(from, 'utf8'))) {
      if (!ref.startsWith('.')) throw new Error(`antd-mini ${file} refers to ${ref}, which is not a relative path`);
      copyAsset(toPosix(relative(antdRoot, resolve(dirname(from), ref))));
    }
  };
  for (const ext of ['.axml', '.acss', '.json', '.sjs']) {
    if (existsSync(join(antdRoot, component + ext))) copyAsset(component + ext);
  }
}

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function toPosix(path) {
  return path.split(sep).join('/');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        production: { type: 'boolean', default: false },
        [INSECURE_FOR_TESTING_FLAG.slice(2)]: { type: 'boolean', default: false },
        'out-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`mini-app build: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const outDir = values['out-dir'] ? resolve(values['out-dir']) : undefined;
  const insecure = values[INSECURE_FOR_TESTING_FLAG.slice(2)];
  if (insecure && !values.production) {
    console.error(`mini-app build: ${INSECURE_FOR_TESTING_FLAG} only means something with --production`);
    process.exit(2);
  }
  build({ production: values.production, outDir, insecureMerchantUrlForTesting: insecure }).then(
    (result) => {
      const mode = result.production
        ? 'production (no sandbox code)'
        : `development (sandbox shim ${result.sandbox ? 'on' : 'off'})`;
      console.log(`mini-app: built ${relative(process.cwd(), result.outDir) || '.'} — ${mode}`);
      console.log(
        `  merchant server: ${result.merchantUrl}${result.sandbox ? `, wallet sandbox: ${result.sandboxUrl}` : ''}`,
      );
      console.log(`  antd-mini components: ${result.components.join(', ')}`);
    },
    (error) => {
      console.error(`mini-app build failed: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
