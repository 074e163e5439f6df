// `npm run bench`: builds everything, runs each entry of bench/entries.mjs, and writes one Markdown table (figure,
// value, bound, ratio, notes) with the machine, its load and the date to bench/RESULTS.md.
//
//   npm run bench [-- --quick] [-- --only <name>,...] [-- --skip-build] [-- --out <file>] [-- --json <file>]
// --quick      a short run of every entry (a test runs it): the figures mean nothing, only that each entry works
// --only       only these entries (by name)
// --skip-build uses the builds that are there (e.g. right after `npm test`)
// --out        writes the table there; a --quick or --only run writes no table unless it is given one, so that
//              bench/RESULTS.md only ever holds a whole run
// --json       also writes every entry's details as JSON
// Figures are only worth keeping from a quiet machine: the load average is printed with them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { npmCommand } from './lib/npm-command.mjs';
import { repoRoot } from './lib/stack.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    'skip-build': { type: 'boolean' },
    out: { type: 'string' },
    json: { type: 'string' },
  },
});
const partial = values.quick || values.only !== undefined;
const resultsFile =
  values.out !== undefined ? resolve(values.out) : partial ? undefined : join(repoRoot, 'bench', 'RESULTS.md');

/** The load average over 1, 5 and 15 minutes; Windows has none. */
function load() {
  return platform() === 'win32'
    ? 'n/a (Windows)'
    : loadavg()
        .map((n) => n.toFixed(2))
        .join(', ');
}

async function main() {
  const started = Date.now();
  const loadBefore = load();
  if (!values['skip-build']) {
    console.log('== building');
    // npm-command.mjs: npm's own JavaScript with this node, no shell (npm.cmd cannot be spawned on Windows).
    const npm = npmCommand(['run', 'build', '--silent']);
    const build = spawnSync(npm.command, npm.args, { cwd: repoRoot, stdio: 'inherit', shell: npm.shell });
    if (build.status !== 0) throw new Error('npm run build failed');
  }

  const { entries: specifiers } = await import(pathToFileURL(join(repoRoot, 'bench', 'entries.mjs')).href);
  const entries = [];
  for (const specifier of specifiers) {
    const { default: entry } = await import(new URL(specifier, pathToFileURL(join(repoRoot, 'bench', '/'))).href);
    if (!entry || typeof entry.name !== 'string' || typeof entry.run !== 'function') {
      throw new Error(`bench/entries.mjs: ${specifier} does not export a default { name, title, run }`);
    }
    entries.push(entry);
  }
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !entries.some((entry) => entry.name === name)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`no entry ${unknown.join(', ')}; the entries are ${entries.map((e) => e.name).join(', ')}`);
  }

  const rows = [];
  const details = {};
  const failed = [];
  for (const entry of entries) {
    if (only && !only.includes(entry.name)) continue;
    console.log(`\n== ${entry.name}: ${entry.title}${values.quick ? ' (quick)' : ''}`);
    const scratch = mkdtempSync(join(tmpdir(), `minipay-bench-${entry.name}-`));
    try {
      const result = await entry.run({
        quick: Boolean(values.quick),
        scratch,
        log: (line) => console.log(`[${entry.name}] ${line}`),
      });
      rows.push(...result.rows);
      details[entry.name] = result.details ?? null;
    } catch (error) {
      console.error(`[${entry.name}] FAILED: ${error instanceof Error ? error.message : String(error)}`);
      failed.push(entry.name);
      rows.push({
        figure: entry.title,
        value: 'FAILED',
        bound: '—',
        ratio: '—',
        notes: 'see the output of npm run bench',
      });
    } finally {
      if (!process.env.MINIPAY_BENCH_KEEP) rmSync(scratch, { recursive: true, force: true });
    }
  }

  const cpu = cpus();
  const cell = (text) => String(text ?? '').replace(/\|/g, '\\|');
  const markdown = `# Benchmark results

Written by \`npm run bench${values.quick ? ' -- --quick' : ''}\` on ${new Date().toISOString()} in ${((Date.now() - started) / 1000).toFixed(0)} s.
Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}.
Load average (1, 5, 15 min): ${loadBefore} before, ${load()} after.${values.quick ? '\nA quick run: its figures mean nothing.' : ''}

Each bound is measured in the same run on the same machine; ratio = value / bound.

| figure | value | bound | ratio | notes |
|---|---|---|---|---|
${rows.map((row) => `| ${[row.figure, row.value, row.bound, row.ratio, row.notes ?? ''].map(cell).join(' | ')} |`).join('\n')}
`;
  console.log(`\n${markdown}`);
  if (resultsFile) {
    mkdirSync(dirname(resultsFile), { recursive: true });
    writeFileSync(resultsFile, markdown);
    console.log(`written to ${relative(process.cwd(), resultsFile)}`);
  }
  if (values.json) writeFileSync(resolve(values.json), `${JSON.stringify(details, null, 2)}\n`);
  if (failed.length > 0) throw new Error(`${failed.join(', ')} failed`);
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
});
