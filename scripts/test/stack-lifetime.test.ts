// The parts of `npm start` end with it however it ends, not only by Ctrl-C (readme-commands.test.ts has that one):
// npm killed (`kill <pid>`), the terminal closing (SIGHUP), the stack script killed outright (SIGKILL: no handler runs, as when Windows ends a
// process), and its output closed (`npm start | head`). And a start that finds servers of an earlier one says so.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isAlive, killTree, npm, npmCommand, posix, repoRoot, signalGroup, type Run } from './helpers';

interface StackRecord {
  pid: number;
  /** `pid` undefined: known by its URL only. */
  parts: { name: string; pid?: number; url: string }[];
}

let home: string;
let env: NodeJS.ProcessEnv;
let run: Run | undefined;
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'minipay-lifetime-'));
  env = {
    MINIPAY_HOME: home,
    MINIPAY_MERCHANT_PORT: String(await freePort()),
    MINIPAY_SANDBOX_PORT: String(await freePort()),
    MINIPAY_PREVIEW_PORT: String(await freePort()),
  };
});
afterEach(() => {
  if (run) killTree(run);
  run = undefined;
  rmSync(home, { recursive: true, force: true });
});

async function startStack(): Promise<StackRecord> {
  run = npm(['start', '--', '--out-dir', join(home, 'dist')], env);
  await run.waitFor(/Press Ctrl-C to stop/, 240_000);
  return JSON.parse(readFileSync(join(home, 'stack.json'), 'utf8')) as StackRecord;
}

/** Resolves once none of the parts runs and none of their URLs answers; rejects after `timeoutMs`. */
async function allGone(record: StackRecord, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = record.parts.filter((entry) => entry.pid !== undefined && isAlive(entry.pid));
    const answering = (
      await Promise.all(
        record.parts.map((entry) =>
          fetch(entry.url).then(
            () => entry.name,
            () => undefined,
          ),
        ),
      )
    ).filter(Boolean);
    if (alive.length === 0 && answering.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`still running: ${alive.map((e) => `${e.name} ${e.pid}`)}; answering: ${answering}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

(posix ? it : it.skip)(
  '`kill <pid of npm>` (SIGTERM to npm alone) stops every part and removes stack.json',
  async () => {
    const record = await startStack();
    // npm passes SIGTERM to the shell it ran the script with, which dies without passing it on.
    process.kill(run!.child.pid!, 'SIGTERM');
    await allGone(record);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(() => readFileSync(join(home, 'stack.json'))).toThrow();
  },
  300_000,
);

(posix ? it : it.skip)(
  'the terminal closing (SIGHUP to its process group) stops every part and removes stack.json',
  async () => {
    const record = await startStack();
    signalGroup(run!, 'SIGHUP');
    await allGone(record);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(() => readFileSync(join(home, 'stack.json'))).toThrow();
  },
  300_000,
);

it('SIGKILL of the stack script itself (no handler runs) still ends every part', async () => {
  const record = await startStack();
  // record.pid is the node process of scripts/start.mjs; nothing of it runs after SIGKILL (TerminateProcess on
  // Windows), so only the parts' own watch of their channel can stop them.
  process.kill(record.pid, 'SIGKILL');
  await allGone(record);
}, 300_000);

it('a closed output (`npm start | head`) stops the stack instead of leaving it running', async () => {
  // The stack script with its stdout on a pipe whose reader goes away after the first lines, as `| head` does.
  const command = npmCommand(['start', '--', '--out-dir', join(home, 'dist')]);
  const child = spawn(command.command, command.args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    shell: command.shell,
    detached: posix,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  run = { child, output: () => '', exited: new Promise(() => {}), waitFor: () => Promise.reject(new Error()) };
  let text = '';
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('wallet sandbox dashboard') || text.includes('[wallet]')) resolve();
    });
  });
  child.stdout!.destroy();
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  expect(exitCode).not.toBeNull();
  // Whatever was up when the output closed is down again.
  const record = { pid: 0, parts: [] as StackRecord['parts'] };
  for (const [name, variable] of [
    ['wallet', 'MINIPAY_SANDBOX_PORT'],
    ['merchant', 'MINIPAY_MERCHANT_PORT'],
    ['preview', 'MINIPAY_PREVIEW_PORT'],
  ] as const) {
    record.parts.push({ name, url: `http://127.0.0.1:${env[variable]}/` });
  }
  await allGone(record);
}, 300_000);

it('a start that finds servers of an earlier start of the same dev home names them with their pids', async () => {
  // A server left over on the sandbox's port, recorded in stack.json by a start whose own process is gone.
  const port = Number(env.MINIPAY_SANDBOX_PORT);
  const leftover = spawn(process.execPath, [
    '-e',
    `require('node:http').createServer((q, s) => s.end('old')).listen(${port}, '127.0.0.1', () => console.log('up'))`,
  ]);
  try {
    await new Promise((resolve) => leftover.stdout.once('data', resolve));
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const url = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(home, 'stack.json'),
      JSON.stringify({
        pid: gone.pid,
        startedAt: '2026-05-01T10:00:00.000Z',
        miniDir: join(home, 'dist'),
        parts: [{ name: 'wallet', title: 'wallet sandbox', pid: leftover.pid, host: '127.0.0.1', port, url }],
      }),
    );
    const second = npm(['start'], env);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `npm start: servers of an earlier npm start (pid ${gone.pid}, started 2026-05-01T10:00:00.000Z) are still ` +
        `running: wallet sandbox (pid ${leftover.pid}, ${url}). Stop them with ` +
        `${posix ? `kill ${leftover.pid}` : `taskkill /pid ${leftover.pid} /t /f`} and start again`,
    );
    expect(second.output()).not.toContain('already in use');
  } finally {
    leftover.kill();
  }
}, 120_000);
