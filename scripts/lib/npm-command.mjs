// How the scripts run npm without a shell, on Linux, macOS and Windows. Pure (no import.meta), so tests import it.
//
// On Windows `npm` is `npm.cmd`, a batch file: `spawn('npm')` fails with ENOENT, and since the fix for
// CVE-2024-27980 Node refuses to spawn a `.cmd` at all without `shell: true` (EINVAL). A shell brings its own
// trouble: every argument must be quoted for cmd.exe (a path with a space, `C:\Users\Jane Doe\...`, breaks),
// and the child is cmd.exe, not npm. So the robust way, chosen here, is the one npm itself offers: run npm's
// JavaScript entry with this Node (`process.execPath`), no shell, on every OS. Under `npm run`/`npm start` npm names
// that entry in `npm_execpath` (the same npm that started us); otherwise it sits next to Node, where every Node
// installer puts it. Only when neither exists (an unusual install) is the platform's own `npm` run, through a
// shell on Windows, with its arguments quoted.
import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';

/**
 * `{ command, args, shell }` to give `spawn`/`spawnSync` for `npm <args>`.
 * @param {string[]} args
 * @param {{ platform?: NodeJS.Platform, env?: Record<string, string | undefined>, execPath?: string,
 *   exists?: (path: string) => boolean }} [options] injectable for tests (defaults: this process)
 * @returns {{ command: string, args: string[], shell: boolean }}
 */
export function npmCommand(args, options = {}) {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const execPath = options.execPath ?? process.execPath;
  const exists = options.exists ?? existsSync;
  const path = platform === 'win32' ? win32 : posix;

  const candidates = [];
  // yarn and pnpm also set npm_execpath, to their own entry: only npm's is used.
  if (env.npm_execpath && /npm-cli\.[cm]?js$/.test(env.npm_execpath)) candidates.push(env.npm_execpath);
  const nodeDir = path.dirname(execPath);
  candidates.push(
    platform === 'win32'
      ? path.join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js')
      : path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  );
  const cli = candidates.find((candidate) => exists(candidate));
  if (cli) return { command: execPath, args: [cli, ...args], shell: false };
  if (platform === 'win32') return { command: 'npm.cmd', args: args.map(quoteForCmd), shell: true };
  return { command: 'npm', args, shell: false };
}

/** An argument as cmd.exe reads it: quoted when it holds a space or one of cmd's special characters. */
function quoteForCmd(arg) {
  return /[\s"&|<>^()%!]/.test(arg) ? `"${arg.replace(/"/g, '""')}"` : arg;
}
