// The local stack as child processes, shared by `npm start`, `npm run demo` and `npm run preview`: its settings,
// building what is stale, starting a part (an entry of parts.mjs) and stopping it, on Linux, macOS and Windows.
// Node built-ins only, and the workspace's own packages from `dist`, built here first when missing or stale (this
// runs in a fresh clone before anything is built).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseHost, lanAddresses, urlHost } from './lan.mjs';
import { npmCommand } from './npm-command.mjs';
import { PARTS } from './parts.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A workspace package's ESM build, built first if it is missing or older than its sources. */
export async function importBuilt(name) {
  buildStale([name]);
  return import(pathToFileURL(join(repoRoot, 'packages', name, 'dist', 'index.mjs')).href);
}

/**
 * The settings of the stack's commands: the address every part listens on (`lan`: `true` or an address from
 * `--lan`; else `MINIPAY_HOST`; else 127.0.0.1), the dev home, and each part's port (its variable, else the
 * contract's default). A port of 0 means any free port: one is picked here, so every part is told the same address.
 * @returns {Promise<{ host: string, lan: boolean, home: string, ports: Record<string, number>,
 *   urls: Record<string, string> }>}
 */
export async function stackSettings(env = process.env, { lan } = {}) {
  const contract = await importBuilt('contract');
  const { resolveDevHome } = await importBuilt('dev-home');
  let host;
  try {
    host = chooseHost({ lan, env, defaultHost: contract.DEFAULT_HOST });
  } catch (error) {
    throw new StackError(error.message);
  }
  const ports = {};
  const urls = {};
  for (const entry of PARTS) {
    const text = env[entry.portVariable];
    let port = contract[entry.defaultPort];
    if (text !== undefined && text !== '') {
      try {
        port = contract.parsePort(text, entry.portVariable);
      } catch (error) {
        throw new StackError(error.message);
      }
    }
    ports[entry.name] = port === 0 ? await freePort(host) : port;
    urls[entry.name] = `http://${urlHost(host)}:${ports[entry.name]}`;
  }
  return { host, lan: host !== contract.DEFAULT_HOST, home: resolveDevHome(repoRoot, env), ports, urls };
}

/** A port nothing listens on right now (the OS picks it). */
function freePort(host) {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(new StackError(listenProblem(host, 0, error, 'MINIPAY_HOST'))));
    probe.listen(0, host, () => {
      const { port } = probe.address();
      probe.close(() => resolvePromise(port));
    });
  });
}

/** An error whose message is meant for the person at the terminal, printed without a stack trace. */
export class StackError extends Error {
  name = 'StackError';
}

/**
 * The message for the terminal of an error thrown by a stack command: the message alone for the errors that are
 * meant for people (ours, and the workspace packages' own, which have a `code` and say what to do), the whole
 * error otherwise (a bug: its stack trace helps).
 */
export function messageOf(error) {
  if (error instanceof StackError) return error.message;
  if (error instanceof Error && /^[A-Z][A-Za-z]*Error$/.test(error.name) && typeof error.code === 'string') {
    return error.message;
  }
  return error?.stack ?? String(error);
}

// What the local stack runs from `dist`, in dependency order. The mini program bundles tradepay from its sources
// (its build script reads the contract's default URLs from `dist`).
const libraries = ['contract', 'dev-home', 'fastify-kit', 'openapi', 'wallet-sandbox', 'merchant-server'];

/** The files a package's build is made from: its sources and its build configuration. */
export function buildInputs(packageDir) {
  return [
    join(packageDir, 'src'),
    join(packageDir, 'package.json'),
    join(packageDir, 'rollup.config.mjs'),
    join(packageDir, 'tsconfig.build.json'),
    join(repoRoot, 'scripts', 'rollup-library.mjs'),
  ].filter((path) => existsSync(path));
}

/** True when a package's `dist` is missing or older than any of its build inputs. */
export function isStale(packageDir) {
  const built = join(packageDir, 'dist', 'index.cjs');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return buildInputs(packageDir).some((input) => newestMtime(input) > builtAt);
}

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds the libraries (all by default) whose build is missing or out of date, in dependency order. */
export function buildStale(names = libraries, print = console.log) {
  for (const name of names) {
    const dir = join(repoRoot, 'packages', name);
    if (!isStale(dir)) continue;
    print(`building @minipay/${name} ...`);
    runNpm(['run', 'build', '--silent', '-w', `@minipay/${name}`]);
  }
}

/** Runs `npm <args>` at the repo root (see npm-command.mjs for how, on each OS), output shown only when it fails. */
export function runNpm(args, options = {}) {
  const npm = npmCommand(args);
  return run(npm.command, npm.args, { ...options, shell: npm.shell, label: `npm ${args.join(' ')}` });
}

/**
 * Runs a command to completion, output shown only when it fails. The failure names the reason even when the
 * command never ran (ENOENT, EINVAL) or was killed by a signal.
 */
export function run(command, args, { label = `${command} ${args.join(' ')}`, ...options } = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', ...options });
  if (result.error || result.status !== 0) {
    const why = result.error
      ? `could not run ${command}: ${result.error.code ?? result.error.message}`
      : result.signal
        ? `killed by ${result.signal}`
        : `exit code ${result.status}`;
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new StackError(`${label} failed (${why})${output ? `:\n${output}` : ''}`);
  }
  return result.stdout;
}

/** Why `host:port` cannot be listened on, naming what to change. */
function listenProblem(host, port, error, variable) {
  if (error.code === 'EADDRINUSE') {
    return `port ${port} on ${host} is already in use: stop what uses it or set ${variable} to another port`;
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'EINVAL') {
    const known = lanAddresses();
    return (
      `this machine has no address ${host} to listen on (${error.code}): name one of its own with ` +
      `--lan <address> or MINIPAY_HOST${known.length > 0 ? ` (it has ${known.join(', ')})` : ''}`
    );
  }
  return `cannot listen on ${host}:${port} (${error.code}): set ${variable} to another port`;
}

/** Resolves when nothing listens on host:port; rejects with a message naming the variable to change. */
export function assertPortFree(host, port, variable) {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(new StackError(listenProblem(host, port, error, variable))));
    probe.listen(port, host, () => probe.close(() => resolvePromise()));
  });
}

/** Polls `url` until it answers 2xx (true), the child exits (false), or `timeoutMs` passes (throws). */
export async function waitUntilUp(url, child, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new StackError(`${url} did not answer within ${timeoutMs / 1000} s`);
}

const guard = join(repoRoot, 'scripts', 'lib', 'exit-with-parent.cjs');

/**
 * Starts a part as a child process: `node --require exit-with-parent.cjs <script> <args>`, with an IPC channel it
 * watches, so it ends when this process ends, however that happens (see exit-with-parent.cjs). Its output is
 * prefixed with its name and handed to `print`, and the last lines are kept (`child.lastOutput()`), so a part that
 * dies at start-up can say why. `onExit(code, signal)` is called once when it ends for any reason.
 */
export function startPart({ name, script, args, env, onExit, print = (line) => process.stdout.write(line) }) {
  const child = spawn(process.execPath, ['--require', guard, join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const kept = [];
  const keep = (line) => {
    kept.push(line);
    if (kept.length > 40) kept.shift();
  };
  const prefix = (stream) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop();
      for (const line of lines) {
        keep(line);
        print(`[${name}] ${line}\n`);
      }
    });
    stream.on('end', () => {
      if (!pending) return;
      keep(pending);
      print(`[${name}] ${pending}\n`);
    });
  };
  prefix(child.stdout);
  prefix(child.stderr);
  child.lastOutput = () => kept.join('\n');
  // A part that cannot be spawned at all (e.g. EPERM) ends here rather than as an unhandled 'error'.
  child.once('error', (error) => {
    keep(`could not start: ${error.message}`);
    onExit?.(null, null);
  });
  child.once('exit', (code, signal) => onExit?.(code, signal));
  return child;
}

/** Asks a part to stop by closing its channel (its graceful shutdown runs, on every OS), killing it after `graceMs`. */
export function stopPart(child, graceMs = 6000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
  });
}

/** Starts the part `entry` (of parts.mjs) on its port of `stack`, and waits until its readiness URL answers. */
export async function launchPart(entry, stack, { onExit, print, timeoutMs } = {}) {
  const child = startPart({
    name: entry.name,
    script: entry.script,
    args: ['--port', String(stack.ports[entry.name]), '--host', stack.host, ...entry.args(stack)],
    env: entry.env(stack),
    onExit,
    print,
  });
  const up = await waitUntilUp(`${stack.urls[entry.name]}${entry.readyPath}`, child, timeoutMs);
  return { child, up };
}
