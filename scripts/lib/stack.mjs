// The local stack as child processes: the wallet sandbox and the merchant server wired to each other.
// Shared by `npm start` and `npm run demo`. Node built-ins only, and the workspace's own packages from `dist`, built
// here first when missing or stale (this runs in a fresh clone before anything is built).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A workspace package's ESM build, built first if it is missing or older than its sources. */
export async function importBuilt(name) {
  buildStale([name]);
  return import(pathToFileURL(join(repoRoot, 'packages', name, 'dist', 'index.mjs')).href);
}

/**
 * The settings `npm start` and `npm run demo` read: the contract's default ports, its port parser, and the dev
 * home's folder. A port of 0 means any free port: one is picked here, so every part is told the same address.
 */
export async function stackSettings(env = process.env) {
  const contract = await importBuilt('contract');
  const { resolveDevHome } = await importBuilt('dev-home');
  const host = contract.DEFAULT_HOST;
  const port = async (name, fallback) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    let parsed;
    try {
      parsed = contract.parsePort(text, name);
    } catch (error) {
      throw new StackError(error.message);
    }
    return parsed === 0 ? freePort(host) : parsed;
  };
  return {
    // The local stack is for this machine only; a deployed merchant server is configured with its own variables.
    host,
    home: resolveDevHome(repoRoot, env),
    merchantPort: await port('MINIPAY_MERCHANT_PORT', contract.DEFAULT_MERCHANT_PORT),
    sandboxPort: await port('MINIPAY_SANDBOX_PORT', contract.DEFAULT_SANDBOX_PORT),
    previewPort: await port('MINIPAY_PREVIEW_PORT', contract.DEFAULT_PREVIEW_PORT),
  };
}

/** A port nothing listens on right now (the OS picks it). */
function freePort(host) {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', reject);
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

// What the local stack runs from `dist`, in dependency order. The mini program bundles tradepay from its sources
// (its build script reads the contract's default URLs from `dist`).
const libraries = ['contract', 'dev-home', 'openapi', 'wallet-sandbox', 'merchant-server'];

/** True when a package's `dist` is missing or older than any file under its `src`. */
function isStale(packageDir) {
  const built = join(packageDir, 'dist', 'index.cjs');
  if (!existsSync(built)) return true;
  return newestMtime(join(packageDir, 'src')) > statSync(built).mtimeMs;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the libraries (all by default) whose build is missing or out of date, in dependency order. */
export function buildStale(names = libraries, print = console.log) {
  for (const name of names) {
    const dir = join(repoRoot, 'packages', name);
    if (!isStale(dir)) continue;
    print(`building @minipay/${name} ...`);
    run('npm', ['run', 'build', '--silent', '-w', `@minipay/${name}`]);
  }
}

/** Runs a command to completion, output shown only when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new StackError(`${command} ${args.join(' ')} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return result.stdout;
}

/** Resolves when nothing listens on host:port; rejects with a message naming the variable to change. */
export function assertPortFree(host, port, variable) {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error) => {
      reject(
        new StackError(
          error.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use: stop what uses it or set ${variable} to another port`
            : `cannot listen on ${host}:${port} (${error.code}): set ${variable} to another port`,
        ),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolvePromise()));
  });
}

/** Polls `url` until it answers 2xx, the child exits, or `timeoutMs` passes. */
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

/**
 * Starts one part as a child process, its output prefixed with its name. `onExit(code, signal)` is called
 * once when it ends for any reason.
 */
export function startPart({ name, script, args, env, onExit, print = (line) => process.stdout.write(line) }) {
  const child = spawn(process.execPath, [join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) print(`[${name}] ${line}\n`);
    });
    stream.on('end', () => pending && print(`[${name}] ${pending}\n`));
  };
  prefix(child.stdout);
  prefix(child.stderr);
  child.once('exit', (code, signal) => onExit?.(code, signal));
  return child;
}

/** Asks a child to stop, and kills it if it has not stopped after `graceMs`. */
export function stopPart(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
