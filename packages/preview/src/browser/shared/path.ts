// setData's path keys ('a.b[2].c'): parsed once, applied the same way by the worker (to `this.data`) and by
// the view (to its copy), so the two never disagree.

export type PathPart = string | number;

export class PathError extends Error {
  override readonly name = 'PathError';
}

export function parsePath(key: string): PathPart[] {
  const parts: PathPart[] = [];
  let index = 0;
  let name = '';
  const flush = () => {
    if (name !== '') parts.push(name);
    name = '';
  };
  while (index < key.length) {
    const char = key[index] as string;
    if (char === '.') {
      if (name === '' && (parts.length === 0 || key[index - 1] === '.'))
        throw new PathError(`setData: "${key}" is not a valid path (empty name before ".")`);
      flush();
      index++;
    } else if (char === '[') {
      flush();
      const close = key.indexOf(']', index);
      const inside = close === -1 ? '' : key.slice(index + 1, close);
      if (!/^\d+$/.test(inside))
        throw new PathError(`setData: "${key}" is not a valid path ([${inside}] must be an array index)`);
      parts.push(Number(inside));
      index = close + 1;
    } else if (char === ']') {
      throw new PathError(`setData: "${key}" is not a valid path (unmatched ])`);
    } else {
      name += char;
      index++;
    }
  }
  flush();
  if (parts.length === 0 || key.endsWith('.')) throw new PathError(`setData: "${key}" is not a valid path`);
  return parts;
}

/** Sets `value` at `path` inside `data`, creating objects (or arrays, before an index) on the way. */
export function setAtPath(data: Record<string, unknown>, path: PathPart[], value: unknown): void {
  let target: Record<PathPart, unknown> = data;
  for (let i = 0; i < path.length - 1; i++) {
    const part = path[i] as PathPart;
    const next = path[i + 1];
    const current = target[part];
    if (typeof current !== 'object' || current === null) target[part] = typeof next === 'number' ? [] : {};
    target = target[part] as Record<PathPart, unknown>;
  }
  target[path[path.length - 1] as PathPart] = value;
}
