import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves when the output matches `pattern`; rejects if the process ends first. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
}

/** Whether this OS has POSIX signals and process groups (Windows has neither). */
export const posix = process.platform !== 'win32';

/**
 * `{ command, args, shell }` that runs `npm <args>` on this OS without depending on a shell (scripts/lib/npm-command.mjs,
 * the same the stack scripts use: on Windows `npm` is `npm.cmd`, which cannot be spawned directly).
 */
export function npmCommand(args: string[]): { command: string; args: string[]; shell: boolean } {
  // An .mjs of the scripts, which jest compiles like the tests.
  return require(join(repoRoot, 'scripts', 'lib', 'npm-command.mjs')).npmCommand(args);
}

/** `npm <args>` run to completion at `cwd` (default the repo root). */
export function npmSync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const npm = npmCommand(args);
  return spawnSync(npm.command, npm.args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    shell: npm.shell,
    encoding: 'utf8',
  });
}

/**
 * Starts `npm <args>` at the repo root, collecting its output; on Linux and macOS in its own process group, as a
 * terminal would (so `signalGroup` is Ctrl-C).
 */
export function npm(args: string[], env: NodeJS.ProcessEnv): Run {
  const command = npmCommand(args);
  const child = spawn(command.command, command.args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    detached: posix,
    shell: command.shell,
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 120000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = text.match(pattern);
        if (match) {
          cleanup();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`));
      }, timeoutMs);
      const onExit = () => {
        cleanup();
        reject(new Error(`process ended before ${pattern}; output:\n${text}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
        child.off('exit', onExit);
      };
      listeners.add(check);
      child.once('exit', onExit);
      check();
    });
  return { child, output: () => text, exited, waitFor };
}

/** Sends a signal to the whole process group, like Ctrl-C in a terminal (Linux and macOS). */
export function signalGroup(run: Run, signal: NodeJS.Signals): void {
  try {
    process.kill(-run.child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Whether a process with this pid exists (signal 0 sends nothing; it works on Windows too). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Ends the run and everything it started, on any OS (the clean-up of a test, not a behaviour under test). */
export function killTree(run: Run): void {
  if (posix) signalGroup(run, 'SIGKILL');
  else spawnSync('taskkill', ['/pid', String(run.child.pid), '/t', '/f']);
}
