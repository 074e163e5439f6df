/**
 * `setData` as the platform does it: each key is a path (`'a.b[0].c'`), the value is copied as the view
 * would receive it (JSON: functions and `undefined` members dropped), and `this.data` changes at once.
 */
export function parsePath(path: string): Array<string | number> {
  if (!/^[^.[\]]+(?:\.[^.[\]]+|\[\d+\])*$/.test(path)) throw new Error(`setData: bad path "${path}"`);
  return Array.from(path.matchAll(/([^.[\]]+)|\[(\d+)\]/g), (match) =>
    match[2] !== undefined ? Number(match[2]) : (match[1] as string),
  );
}

export function applySetData(data: Record<string, unknown>, patch: Record<string, unknown>): void {
  if (typeof patch !== 'object' || patch === null) throw new TypeError('setData expects an object');
  for (const [key, raw] of Object.entries(patch)) {
    const value = raw === undefined ? undefined : JSON.parse(JSON.stringify(raw));
    const path = parsePath(key);
    let target: Record<string | number, unknown> = data;
    for (let i = 0; i < path.length - 1; i++) {
      const part = path[i] as string | number;
      const next = path[i + 1];
      if (typeof target[part] !== 'object' || target[part] === null) target[part] = typeof next === 'number' ? [] : {};
      target = target[part] as Record<string | number, unknown>;
    }
    target[path[path.length - 1] as string | number] = value;
  }
}
