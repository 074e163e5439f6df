// The OS processes of the production-shaped bench: each server is its real bin (`minipay-merchant`,
// `minipay-sandbox`) in its own Node process with bench/lib/instrument.mjs loaded in front, its output going to a
// log file (as a deployment's logs go to a file or a collector, not through the bench); the load generator is a
// third process. They talk to the bench over IPC; nothing here is POSIX-only.
import { fork } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');
const instrument = pathToFileURL(join(here, 'instrument.mjs')).href;

/**
 * A running child process the bench talks to over IPC. `request(message)` sends a message and resolves with the
 * next answer of the same `type`; `stop()` asks it to stop and kills it after a grace period.
 */
class Part {
  constructor(name, child, logFile) {
    this.name = name;
    this.child = child;
    this.logFile = logFile;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  request(message, timeoutMs = 600_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`${this.name}: no answer to ${message.type} in time`)),
        timeoutMs,
      );
      const onMessage = (answer) => {
        if (answer?.type === 'error') finish(new Error(`${this.name}: ${answer.message}`));
        else if (answer?.type === message.type) finish(undefined, answer);
      };
      const onExit = (code) => finish(new Error(`${this.name} exited (code ${code}); see ${this.logFile}`));
      const finish = (error, answer) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve(answer);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(message);
    });
  }

  async stop(graceMs = 5000) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    if (this.child.connected) this.child.send({ type: 'stop' });
    else this.child.kill('SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }

  log() {
    return readFileSync(this.logFile, 'utf8');
  }
}

/**
 * Starts a server bin with the instrument loaded, and resolves once `urlPattern` (whose first group is the URL)
 * appears in its output. @param bin the path from the repo root, e.g. packages/merchant-server/bin/minipay-merchant.cjs
 */
export async function startServer({ name, bin, args = [], env, logFile, urlPattern, timeoutMs = 30_000 }) {
  const out = openSync(logFile, 'w');
  const child = fork(join(repoRoot, bin), args, {
    cwd: repoRoot,
    env: { ...process.env, ...env, MINIPAY_BENCH_PART: name },
    execArgv: ['--import', instrument],
    stdio: ['ignore', out, out, 'ipc'],
  });
  closeSync(out);
  const part = new Part(name, child, logFile);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = readFileSync(logFile, 'utf8').match(urlPattern);
    if (match) {
      part.url = match[1];
      return part;
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} stopped before listening:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} printed no URL within ${timeoutMs / 1000} s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts a plain Node module as a child with IPC (the load generator); resolves once it says it is ready. */
export async function startWorker({ name, module, env, logFile }) {
  const out = openSync(logFile, 'w');
  const child = fork(module, [], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out, 'ipc'],
  });
  closeSync(out);
  const part = new Part(name, child, logFile);
  await part.request({ type: 'ready' }, 30_000);
  return part;
}
