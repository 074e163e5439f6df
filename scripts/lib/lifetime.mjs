// When a stack script itself must stop, whatever ends the session it runs in. Its children follow it through
// their IPC channel (exit-with-parent.cjs); these are the ways the script learns that it should end:
// - Ctrl-C (SIGINT), `kill` (SIGTERM), the terminal closing (SIGHUP; Windows maps a closed console window to it);
// - its parent gone: `kill <pid of npm>` makes npm forward SIGTERM to the `sh -c` it ran us with, which dies
//   without passing it on, so we are left orphaned and no signal ever reaches us. On Linux and macOS an orphan's
//   parent pid changes (to 1 or a subreaper); on Windows it does not, but the old parent pid stops existing;
//   both are checked;
// - its output closed: `npm start | head` ends the reader, and the next write fails with EPIPE.
import { isAlive } from './stack-file.mjs';

/**
 * Calls `stop(reason)` once, the first time one of the ways above happens. Returns `write(text)`, a writer to
 * stdout that stops writing (instead of throwing) once stdout is closed.
 */
export function endWithSession(stop, { pollMs = 500 } = {}) {
  let stopped = false;
  const once = (reason) => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    stop(reason);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => once(signal));

  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent || !isAlive(parent)) once('parent-gone');
  }, pollMs);
  timer.unref();

  let closed = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      closed = true;
      once('output-closed');
    });
  }
  return (text) => {
    if (!closed) process.stdout.write(text);
  };
}
