// Preloaded into every part of the local stack (`node --require exit-with-parent.cjs <cli>`), so that a part stops
// when the script that started it ends, however it ends.
//
// Signals cannot do this alone: `kill <pid>` of npm, a SIGKILL, a crash or `npm start | head` end the parent
// without telling its children, and Windows has no signals at all. So the parent opens an IPC channel to each
// part, and the child watches it: the operating system closes the channel when the parent's process ends, for any
// reason, on every OS, and Node then emits 'disconnect' here. The part is asked to stop as SIGTERM asks it (its
// own graceful handler runs: requests in flight finish, the database closes), and made to exit if it has not
// within GRACE_MS. The parent stops a part the same way, by disconnecting.
'use strict';

const GRACE_MS = 5000;

if (process.channel) {
  // The channel must not keep a part alive that has closed its servers.
  process.channel.unref();
  process.once('disconnect', () => {
    if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM', 'SIGTERM');
    setTimeout(() => process.exit(1), GRACE_MS).unref();
  });
}
