// `npm run bench`: builds everything, runs each package's benchmark, and writes one Markdown table with the
// machine, the date and the figures to bench/RESULTS.md. Each package benchmark writes its figures as JSON to
// the file named by MINIPAY_BENCH_JSON; this script only gathers and formats them.
//
//   npm run bench [-- --skip-build] [-- --out <file>]
// --skip-build uses the builds that are there (e.g. right after `npm test`); --out writes the table elsewhere.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { npmCommand } from './lib/npm-command.mjs';
import { repoRoot } from './lib/stack.mjs';

const { values } = parseArgs({ options: { 'skip-build': { type: 'boolean' }, out: { type: 'string' } } });
const resultsFile = resolve(values.out ?? join(repoRoot, 'bench', 'RESULTS.md'));

const scratch = mkdtempSync(join(tmpdir(), 'minipay-bench-'));
const started = Date.now();

/** Runs one npm script with a JSON output file and returns what it wrote. Its own output goes to our terminal. */
function measure(label, args) {
  const file = join(scratch, `${label}.json`);
  console.log(`\n== ${label}: npm ${args.join(' ')}`);
  // npm-command.mjs: npm's own JavaScript with this node, no shell (npm.cmd cannot be spawned on Windows).
  const npm = npmCommand(args);
  const result = spawnSync(npm.command, npm.args, {
    shell: npm.shell,
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, MINIPAY_BENCH_JSON: file },
  });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed with exit code ${result.status}`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

try {
  if (!values['skip-build']) {
    console.log('== building');
    const npm = npmCommand(['run', 'build', '--silent']);
    const build = spawnSync(npm.command, npm.args, { shell: npm.shell, cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }

  const size = measure('tradepay-size', ['run', 'size', '--silent', '-w', '@minipay/tradepay']);
  // The sandbox build in a folder of its own: mini-app/dist is the IDE's, built for the developer's own stack.
  const miniDist = join(scratch, 'mini-app-dist');
  const miniBuild = spawnSync(
    process.execPath,
    [join(repoRoot, 'mini-app', 'scripts', 'build.mjs'), '--out-dir', miniDist],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, MINIPAY_MERCHANT_URL: '', MINIPAY_SANDBOX_URL: '', MINIPAY_SANDBOX: '' },
    },
  );
  if (miniBuild.status !== 0) throw new Error('the mini program build failed');
  const mini = measure('mini-app-size', ['run', 'check:mini', '--silent', '--', miniDist]);
  const crypto = measure('openapi-sign', ['run', 'bench', '--silent', '-w', '@minipay/openapi']);
  const flow = measure('merchant-flow', ['run', 'bench', '--silent', '-w', '@minipay/merchant-server']);
  const preview = measure('preview', ['run', 'bench', '--silent', '-w', '@minipay/preview']);
  const postgres = measure('merchant-postgres', [
    'run',
    'bench:postgres',
    '--silent',
    '-w',
    '@minipay/merchant-server',
  ]);

  const rate = (n) => `${Math.round(n).toLocaleString('en-US')}/s`;
  // The wrapper's cost: how much fewer operations per second it does than raw node:crypto (negative = noise in its favour).
  const overhead = (wrapped, raw) => {
    const percent = ((raw - wrapped) / raw) * 100;
    return `wrapper overhead ${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(1)}%`;
  };
  const rows = [
    ['tradePay bundle, ESM minified + gzipped', `${size.minGzipBytes} B`, `limit ${size.limit} B`],
    [
      'mini program `dist` (sandbox build)',
      `${(mini.distBytes / 1024).toFixed(1)} KiB`,
      'platform main-package limit 2 MB',
    ],
  ];
  for (const [name, figures] of Object.entries(crypto)) {
    const algorithm = name.toUpperCase();
    rows.push([
      `sign ${algorithm}`,
      rate(figures.signPerSec),
      `raw node:crypto ${rate(figures.rawSignPerSec)} (${overhead(figures.signPerSec, figures.rawSignPerSec)})`,
    ]);
    rows.push([
      `verify ${algorithm}`,
      rate(figures.verifyPerSec),
      `raw node:crypto ${rate(figures.rawVerifyPerSec)} (${overhead(figures.verifyPerSec, figures.rawVerifyPerSec)})`,
    ]);
  }
  rows.push([
    'orders created and paid, end to end',
    `${flow.ordersPerSec.toFixed(1)}/s, p50 ${flow.p50Ms.toFixed(1)} ms, p99 ${flow.p99Ms.toFixed(1)} ms`,
    `raw RSA-2048 signing ${rate(flow.rawSignPerSec)}; ${flow.signaturesPerOrder} signatures per paid order`,
  ]);
  rows.push([
    'notifications applied (10% duplicates)',
    rate(flow.notificationsPerSec),
    `double transitions: ${flow.doubleTransitions}`,
  ]);
  // The merchant server on SQLite and PostgreSQL, one and two instances behind a balancer (separate processes).
  for (const key of ['sqlite1', 'postgres1', 'postgres2']) {
    const r = postgres[key];
    rows.push([
      `orders paid, ${r.label} (separate processes, balancer)`,
      `${r.ordersPerSec.toFixed(1)}/s, p50 ${r.orderP50Ms.toFixed(1)} ms, p99 ${r.orderP99Ms.toFixed(1)} ms`,
      `${postgres.load.workers} customers, ${postgres.machine.cpus} CPUs shared by every process`,
    ]);
    rows.push([
      `notifications applied, ${r.label}`,
      `${r.notificationsPerSec.toFixed(1)}/s, p50 ${r.notifyP50Ms.toFixed(1)} ms, p99 ${r.notifyP99Ms.toFixed(1)} ms`,
      `10% duplicates; double transitions: ${r.doubleTransitions}`,
    ]);
  }
  rows.push([
    "preview's browser bundle (view + worker), minified + gzipped",
    `${(preview.bundleMinGzipBytes / 1024).toFixed(1)} KiB`,
    `${(preview.bundleBytes / 1024).toFixed(1)} KiB as served`,
  ]);
  rows.push([
    '`npm start` → first page painted in the preview',
    `${(preview.startToFirstPaintMs / 1000).toFixed(1)} s`,
    `URL printed at ${(preview.startToUrlMs / 1000).toFixed(1)} s; ${preview.openToFirstPaintMs} ms from opening the URL; settled at ${(preview.startToSettledMs / 1000).toFixed(1)} s`,
  ]);

  const cpu = cpus();
  const markdown = `# Benchmark results

Written by \`npm run bench\` on ${new Date().toISOString()} in ${((Date.now() - started) / 1000).toFixed(0)} s.
Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}.

| figure | value | next to |
|---|---|---|
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}
`;
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, markdown);
  console.log(`\n${markdown}\nwritten to ${relative(process.cwd(), resultsFile)}`);
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
