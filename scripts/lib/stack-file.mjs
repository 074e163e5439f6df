// `stack.json` in the dev home: the pids and URLs of a running `npm start`, so that the next start can say that
// one is still running (or that servers of one are left over), with the pids to stop, instead of only "port in
// use". Written once every part is up, removed when the stack stops.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const STACK_FILE = 'stack.json';

/**
 * @typedef {{ name: string, title: string, pid: number, host: string, port: number, url: string }} RunningPart
 * @typedef {{ pid: number, startedAt: string, miniDir: string, parts: RunningPart[] }} StackRecord
 */

/** @param {string} home @param {StackRecord} record */
export function writeStackFile(home, record) {
  writeFileSync(join(home, STACK_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the file if it is the one this process wrote. */
export function removeStackFile(home, pid = process.pid) {
  if (readStackFile(home)?.pid === pid) rmSync(join(home, STACK_FILE), { force: true });
}

/** @returns {StackRecord | undefined} */
export function readStackFile(home) {
  try {
    const record = JSON.parse(readFileSync(join(home, STACK_FILE), 'utf8'));
    return Number.isInteger(record?.pid) && Array.isArray(record.parts) ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A running `npm start` of this dev home: its pid, the URLs of its parts by name, and the folder it builds the mini
 * program into; undefined when none runs.
 */
export function readRunningStack(home) {
  const record = readStackFile(home);
  if (!record || !isAlive(record.pid)) return undefined;
  return {
    pid: record.pid,
    host: record.parts[0]?.host,
    miniDir: record.miniDir,
    urls: Object.fromEntries(record.parts.map((entry) => [entry.name, entry.url])),
  };
}

/** Whether a process with this pid exists (signal 0 tests it without sending anything, on every OS). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return error.code === 'EPERM';
  }
}

/** Whether something listens on host:port. */
function portTaken(host, port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/**
 * What is left of the stack recorded in `home`: `{ record, owner, parts }`, where `owner` says whether the
 * `npm start` that wrote it still runs and `parts` are its parts still alive and still holding their ports (a pid
 * alone could have been reused by an unrelated process). Undefined when nothing of it runs.
 * @returns {Promise<{ record: StackRecord, owner: boolean, parts: RunningPart[] } | undefined>}
 */
export async function leftoverStack(home) {
  const record = readStackFile(home);
  if (!record) return undefined;
  const parts = [];
  for (const entry of record.parts) {
    if (isAlive(entry.pid) && (await portTaken(entry.host, entry.port))) parts.push(entry);
  }
  const owner = record.pid !== process.pid && isAlive(record.pid) && parts.length > 0;
  if (!owner && parts.length === 0) return undefined;
  return { record, owner, parts };
}

/** The command that stops these pids on this OS. */
export function stopCommand(pids, platform = process.platform) {
  return platform === 'win32' ? `taskkill /pid ${pids.join(' /pid ')} /t /f` : `kill ${pids.join(' ')}`;
}

/** What to tell the person at the terminal about a leftover stack. */
export function describeLeftover({ record, owner, parts }, platform = process.platform) {
  const list = parts.map((entry) => `${entry.title} (pid ${entry.pid}, ${entry.url})`).join(', ');
  if (owner) {
    return (
      `another npm start is running with this dev home (pid ${record.pid}, started ${record.startedAt}): ${list}. ` +
      `Stop it first (Ctrl-C in its terminal, or ${stopCommand([record.pid], platform)})`
    );
  }
  return (
    `servers of an earlier npm start (pid ${record.pid}, started ${record.startedAt}) are still running: ${list}. ` +
    `Stop them with ${stopCommand(
      parts.map((entry) => entry.pid),
      platform,
    )} and start again`
  );
}
