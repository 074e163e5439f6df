// Live reload: watches the mini program folder and calls back (debounced) when anything in it changes, so a
// rebuild that rewrites many files reloads the page once. A build that deletes the folder and writes it
// again (mini-app's does) ends an fs.watch on Linux, so the folder's identity is also checked twice a
// second and the watch started again when it changed.
import { statSync, watch, type FSWatcher } from 'node:fs';

export function watchFolder(dir: string, onChange: () => void, debounceMs = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const identity = (): string => {
    try {
      const stat = statSync(dir);
      return `${stat.dev}:${stat.ino}`;
    } catch {
      return 'missing';
    }
  };
  const start = () => {
    watcher?.close();
    watcher = undefined;
    try {
      watcher = watch(dir, { recursive: true }, changed);
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined;
    }
  };
  let current = identity();
  start();
  const poll = setInterval(() => {
    const now = identity();
    if (now !== current) {
      current = now;
      start();
      changed();
    }
  }, 500);
  poll.unref();
  return () => {
    clearInterval(poll);
    if (timer) clearTimeout(timer);
    watcher?.close();
  };
}
