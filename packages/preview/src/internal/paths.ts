// Paths inside the mini program folder, always with forward slashes and never leaving the folder.
import { posix } from 'node:path';

/**
 * `target` relative to the file `from` (or to the folder's root when it starts with `/`), normalised;
 * undefined when it would leave the folder.
 */
export function joinInside(from: string, target: string): string | undefined {
  const joined = target.startsWith('/')
    ? posix.normalize(target.slice(1))
    : posix.normalize(posix.join(posix.dirname(from), target));
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined)) return undefined;
  return joined;
}
