/**
 * The build and the IDE check, run as a developer runs them (the scripts' CLIs), into temp folders.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const appDir = join(__dirname, '..');
let temp: string;
let devDist: string;
let prodDist: string;

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(appDir, 'scripts', script), ...args], {
    cwd: appDir,
    encoding: 'utf8',
    env: {
      ...process.env,
      MINIPAY_MERCHANT_URL: '',
      MINIPAY_SANDBOX_URL: '',
      MINIPAY_SANDBOX: '',
      MINIPAY_BENCH_JSON: '',
      ...env,
    },
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'minipay-mini-build-'));
  devDist = join(temp, 'dev');
  prodDist = join(temp, 'prod');
  const dev = run('build.mjs', ['--out-dir', devDist]);
  expect(dev).toMatchObject({ status: 0 });
  const prod = run('build.mjs', ['--production', '--out-dir', prodDist], {
    MINIPAY_MERCHANT_URL: 'https://shop.example.com',
    MINIPAY_SANDBOX_URL: 'http://10.9.8.7:8210',
  });
  expect(prod).toMatchObject({ status: 0 });
}, 120_000);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** What the sandbox shim leaves in code: its function, its API paths, its default and configured URLs. */
const SANDBOX_TRACES = [/sandbox/i, /installSandbox/, /\/cashier\//, /auth-codes/, /:8210/, /10\.9\.8\.7/];

test('a production build contains no sandbox code at all', () => {
  const hits = files(prodDist).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return SANDBOX_TRACES.filter((pattern) => pattern.test(text)).map(
      (pattern) => `${file.slice(prodDist.length)} ${pattern}`,
    );
  });
  expect(hits).toEqual([]);
  expect(JSON.parse(readFileSync(join(prodDist, 'build.json'), 'utf8'))).toMatchObject({
    mode: 'production',
    shim: false,
  });
});

test('a development build bundles the sandbox shim (so the scan above can fail)', () => {
  const app = readFileSync(join(devDist, 'app.js'), 'utf8');
  expect(app).toContain('/sandbox/auth-codes');
  expect(app).toContain('http://127.0.0.1:8210');
});

test('MINIPAY_MERCHANT_URL is built in; the default is http://127.0.0.1:8200', () => {
  expect(readFileSync(join(prodDist, 'app.js'), 'utf8')).toContain('"https://shop.example.com"');
  expect(readFileSync(join(devDist, 'app.js'), 'utf8')).toContain('"http://127.0.0.1:8200"');
});

test('the build is CommonJS with tradepay bundled in and the antd-mini components copied with their templates', () => {
  const all = files(devDist).map((file) => file.slice(devDist.length + 1));
  for (const component of ['Button', 'Stepper', 'List', 'List/ListItem', 'Result']) {
    for (const ext of ['js', 'json', 'axml']) expect(all).toContain(`components/antd-mini/${component}/index.${ext}`);
  }
  expect(all).toContain('components/antd-mini/Button/index.sjs');
  expect(all).toContain('components/antd-mini/_util/arrow.sjs');
  const js = files(devDist)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(file, 'utf8'));
  // tradepay is bundled (its code is in dist), not required from node_modules.
  expect(js.join('\n')).toContain('confirmPayment: options.check must be a function');
  expect(js.join('\n')).not.toContain('@minipay/');
  expect(js.some((text) => /^\s*(import|export)\s/m.test(text))).toBe(false);
});

describe('--out-dir never deletes what is not a build', () => {
  test.each([
    ['the repository', () => join(appDir, '..'), /holds mini-app\/ itself/],
    ['mini-app itself', () => appDir, /holds mini-app\/ itself/],
    ['mini-app/src', () => join(appDir, 'src'), /inside mini-app\/src, which is not build output/],
  ])('refuses %s', (_name, dir, message) => {
    const result = run('build.mjs', ['--out-dir', dir()]);
    expect(result.status).not.toBe(0);
    expect(result.out).toMatch(message);
    expect(statSync(join(appDir, 'src', 'app.ts')).isFile()).toBe(true);
  });

  test('refuses a folder outside mini-app/ that holds something else, and leaves it as it was', () => {
    const other = mkdtempSync(join(temp, 'other-'));
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const result = run('build.mjs', ['--out-dir', other]);
    expect(result.status).not.toBe(0);
    expect(result.out).toContain('is not empty and not a previous build (no build.json)');
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });

  test('builds into an empty folder outside mini-app/, and again into that previous build', () => {
    const empty = mkdtempSync(join(temp, 'empty-'));
    const shop = { MINIPAY_MERCHANT_URL: 'https://shop.example.com' };
    expect(run('build.mjs', ['--production', '--out-dir', empty], shop).status).toBe(0);
    expect(run('build.mjs', ['--production', '--out-dir', empty], shop).status).toBe(0);
    expect(JSON.parse(readFileSync(join(empty, 'build.json'), 'utf8'))).toMatchObject({ mode: 'production' });
  });
});

describe('--production and the merchant URL', () => {
  test.each([
    ['the default, http://127.0.0.1:8200', '', /is not https:\/\/ .* and is a loopback address/],
    ['http:// on a public name', 'http://shop.example.com', /is not https:\/\/ \(a wallet only calls HTTPS domains/],
    ['https://localhost', 'https://localhost:8443', /is a loopback address/],
    ['https:// on 127.0.0.5', 'https://127.0.0.5', /is a loopback address/],
    ['https:// on [::1]', 'https://[::1]:8443', /is a loopback address/],
  ])('refuses %s, saying what to set and which flag forces it', (_name, url, why) => {
    const out = mkdtempSync(join(temp, 'refused-'));
    const result = run('build.mjs', ['--production', '--out-dir', out], { MINIPAY_MERCHANT_URL: url });
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/--production refuses MINIPAY_MERCHANT_URL /);
    expect(result.out).toMatch(why);
    expect(result.out).toContain('add --insecure-merchant-url-for-testing');
    // Refused before anything is written.
    expect(readdirSync(out)).toEqual([]);
  });

  test('builds with --insecure-merchant-url-for-testing, which means nothing without --production', () => {
    const out = mkdtempSync(join(temp, 'forced-'));
    const forced = ['--production', '--insecure-merchant-url-for-testing', '--out-dir', out];
    expect(run('build.mjs', forced).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'build.json'), 'utf8'))).toMatchObject({
      mode: 'production',
      merchantUrl: 'http://127.0.0.1:8200',
    });
    const alone = run('build.mjs', ['--insecure-merchant-url-for-testing', '--out-dir', out]);
    expect(alone.status).toBe(2);
    expect(alone.out).toContain('only means something with --production');
  });

  test('--help prints the usage; an unknown option says which, with the usage, and no stack trace', () => {
    const help = run('build.mjs', ['--help']);
    expect(help.status).toBe(0);
    expect(help.out).toMatch(/^Usage: npm run build:mini/);
    const wrong = run('build.mjs', ['--prod']);
    expect(wrong.status).toBe(2);
    expect(wrong.out).toMatch(/^mini-app build: Unknown option '--prod'[\s\S]*Usage: npm run build:mini/);
    expect(wrong.out).not.toMatch(/\n\s+at /);
  });
});

test('check:mini passes on a fresh build and prints the size; MINIPAY_BENCH_JSON gets { distBytes }', () => {
  const bench = join(temp, 'bench.json');
  const check = run('check.mjs', [prodDist], { MINIPAY_BENCH_JSON: bench });
  expect(check.status).toBe(0);
  expect(check.out).toMatch(/\d+ bytes \([\d.]+ KiB\) of the 2 MB limit/);
  const total = files(prodDist).reduce((sum, file) => sum + statSync(file).size, 0);
  expect(JSON.parse(readFileSync(bench, 'utf8'))).toEqual({ distBytes: total });
  expect(total).toBeLessThan(2 * 1024 * 1024);
});

test('check:mini fails on a broken dist, naming each problem', () => {
  const broken = join(temp, 'broken');
  cpSync(prodDist, broken, { recursive: true });
  unlinkSync(join(broken, 'pages/confirm/index.axml'));
  writeFileSync(
    join(broken, 'pages/result/index.json'),
    JSON.stringify({ usingComponents: { 'ant-gone': '../../components/nope/index' } }),
  );
  writeFileSync(
    join(broken, 'common/node.js'),
    "const fs = require('fs');\nconst x = require('lodash');\nconst y = require('./missing.js');\n",
  );
  writeFileSync(join(broken, 'common/modern.js'), 'const a = globalThis.b ?? 1;\n');
  writeFileSync(join(broken, 'common/outside.js'), "require('../../outside.js');\n");
  const check = run('check.mjs', [broken]);
  expect(check.status).not.toBe(0);
  for (const problem of [
    'page pages/confirm/index: pages/confirm/index.axml is missing',
    'pages/result/index.json: component <ant-gone> "../../components/nope/index" does not resolve',
    'common/node.js: requires the Node built-in "fs"',
    'common/node.js: requires "lodash", which is not a relative path',
    'common/node.js: requires "./missing.js", which does not exist',
    'common/modern.js: does not parse as ES2017',
    'common/outside.js: requires "../../outside.js", outside dist',
  ]) {
    expect(check.out).toContain(problem);
  }
});

test('check:mini fails when a file a template or style refers to is missing (import-sjs, import, include, @import)', () => {
  const broken = join(temp, 'broken-refs');
  cpSync(prodDist, broken, { recursive: true });
  unlinkSync(join(broken, 'components/antd-mini/_util/arrow.sjs'));
  writeFileSync(
    join(broken, 'pages/result/index.acss'),
    "@import '../shared/gone.acss';\n.result-page { padding: 0; }\n",
  );
  writeFileSync(
    join(broken, 'pages/confirm/index.axml'),
    '<import src="./tpl.axml"/><include src="../../outside/x.axml"/><view/>\n',
  );
  const check = run('check.mjs', [broken]);
  expect(check.status).not.toBe(0);
  for (const problem of [
    'components/antd-mini/List/ListItem/index.axml: refers to "../../_util/arrow.sjs", which does not exist',
    'pages/result/index.acss: refers to "../shared/gone.acss", which does not exist',
    'pages/confirm/index.axml: refers to "./tpl.axml", which does not exist',
    'pages/confirm/index.axml: refers to "../../outside/x.axml", which does not exist',
  ]) {
    expect(check.out).toContain(problem);
  }
});

test('check:mini fails on a dist over 2 MB', () => {
  const big = join(temp, 'big');
  cpSync(prodDist, big, { recursive: true });
  writeFileSync(join(big, 'padding.bin'), Buffer.alloc(2 * 1024 * 1024));
  const check = run('check.mjs', [big]);
  expect(check.status).not.toBe(0);
  expect(check.out).toContain('over the 2 MB main-package limit');
});

test('check:mini says to build first when there is no dist', () => {
  const check = run('check.mjs', [join(temp, 'nothing-here')]);
  expect(check.status).not.toBe(0);
  expect(check.out).toContain('run the build first');
});

test('mini.project.json (format 2) points the IDE at the folder the build writes, with component2 on', () => {
  const project = JSON.parse(readFileSync(join(appDir, '..', 'mini.project.json'), 'utf8'));
  expect(project).toMatchObject({ format: 2, compileType: 'mini', compileOptions: { component2: true } });
  // mini-app/dist, where `npm run build:mini` writes and `check:mini` looks by default (scripts' outDir/distDir).
  expect(join(appDir, '..', project.miniprogramRoot)).toBe(join(appDir, 'dist'));
  // dist is already JavaScript and ACSS: the IDE must not compile TypeScript or LESS of its own there.
  expect(project.compileOptions).toMatchObject({ typescript: false, less: false });
});
