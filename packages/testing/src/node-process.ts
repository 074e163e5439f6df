// A Node program run as a real child process for tests and benchmarks (several server instances, one killed with
// SIGKILL): started with the same Node, its output collected line by line, ready when a line says so.
import { spawn, type ChildProcess } from 'node:child_process';

export interface NodeProcess {
  child: ChildProcess;
  /** The match of `ready` in its output. */
  ready: RegExpMatchArray;
  /** Every line it wrote so far, stdout and stderr. */
  lines(): string[];
  /** Its JSON lines (e.g. pino's log), parsed; other lines are left out. */
  jsonLines(): Array<Record<string, unknown>>;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. Nothing if it has exited already. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartNodeProcessOptions {
  args?: readonly string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** A line of output that says it is ready (e.g. the URL it listens on). */
  ready: RegExp;
  /** Give up waiting for `ready` after this long. Default 30 s. */
  timeoutMs?: number;
}

/** Runs `node <script> <args>`; resolves once a line of its output matches `ready`, rejects if it exits first. */
export function startNodeProcess(script: string, options: StartNodeProcessOptions): Promise<NodeProcess> {
  const child = spawn(process.execPath, [script, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        for (const listener of listeners) listener(line);
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const jsonLines = () =>
    lines.flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} was not ready after ${options.timeoutMs ?? 30_000} ms:\n${lines.join('\n')}`));
    }, options.timeoutMs ?? 30_000);
    const onLine = (line: string) => {
      const ready = line.match(options.ready);
      if (!ready) return;
      listeners.delete(onLine);
      clearTimeout(timer);
      resolve({
        child,
        ready,
        lines: () => [...lines],
        jsonLines,
        exited,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    listeners.add(onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${lines.join('\n')}`));
    });
  });
}
