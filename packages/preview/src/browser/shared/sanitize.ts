// What setData may carry to the view. The platform serialises it as JSON on its way to the render thread:
// functions and `undefined` members vanish, `undefined` (and functions) in arrays become null, a Date
// becomes its ISO string, NaN and Infinity become null, a Map or Set an empty object, and a cycle cannot
// be sent at all. The preview does the same and says so, naming the instance and the key path, because
// each of these is a value the developer meant to show and the view will never see.

export interface Dropped {
  /** e.g. `order.lines[2].format` */
  path: string;
  what: string;
}

export class CycleError extends Error {
  override readonly name = 'CycleError';
  constructor(readonly path: string) {
    super(`a cycle at ${path}`);
  }
}

/** A JSON-faithful copy of `value`, and what was dropped or changed on the way. Throws CycleError for a cycle. */
export function sanitize(value: unknown, path: string, dropped: Dropped[]): unknown {
  return copy(value, path, dropped, []);
}

function copy(value: unknown, path: string, dropped: Dropped[], ancestors: object[]): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    dropped.push({ path, what: `${String(value)} (sent as null)` });
    return null;
  }
  if (typeof value === 'undefined') return undefined;
  if (typeof value === 'function') {
    dropped.push({ path, what: 'a function (dropped)' });
    return undefined;
  }
  if (typeof value === 'bigint' || typeof value === 'symbol') {
    dropped.push({ path, what: `a ${typeof value} (dropped)` });
    return undefined;
  }
  const object = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (ancestors.includes(object)) throw new CycleError(path);
  if (typeof object.toJSON === 'function') {
    const json = object.toJSON();
    if (value instanceof Date) dropped.push({ path, what: 'a Date (sent as its ISO string)' });
    return copy(json, path, dropped, [...ancestors, object]);
  }
  if (value instanceof Map || value instanceof Set) {
    dropped.push({ path, what: `a ${value instanceof Map ? 'Map' : 'Set'} (sent as {})` });
    return {};
  }
  const next = [...ancestors, object];
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      const itemPath = `${path}[${index}]`;
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') {
        dropped.push({
          path: itemPath,
          what: `${item === undefined ? 'undefined' : `a ${typeof item}`} in an array (sent as null)`,
        });
        return null;
      }
      return copy(item, itemPath, dropped, next);
    });
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const member = copy(object[key], `${path}.${key}`, dropped, next);
    if (member !== undefined) out[key] = member;
  }
  return out;
}
