// A package's own benchmark as an npm script that writes its figures as JSON to the file MINIPAY_BENCH_JSON names
// (its output goes to the terminal); the entries that wrap one read that file.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { npmCommand } from '../../scripts/lib/npm-command.mjs';
import { repoRoot } from './processes.mjs';

/** Runs `npm <args>` with a JSON output file in `context.scratch` and returns what it wrote. */
export function npmFigures(context, label, args, env = {}) {
  const file = join(context.scratch, `${label}.json`);
  context.log(`npm ${args.join(' ')}`);
  // npm-command.mjs: npm's own JavaScript with this node, no shell (npm.cmd cannot be spawned on Windows).
  const npm = npmCommand(args);
  const result = spawnSync(npm.command, npm.args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, ...env, MINIPAY_BENCH_JSON: file },
    shell: npm.shell,
  });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed with exit code ${result.status}`);
  return JSON.parse(readFileSync(file, 'utf8'));
}
