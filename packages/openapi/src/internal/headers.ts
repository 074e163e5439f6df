/** Headers as node:http gives them, as a plain record, or a fetch `Headers`. Names are case-insensitive. */
export type HeadersInput =
  Record<string, string | string[] | number | undefined> | { get(name: string): string | null };

/** The first value of header `name`, case-insensitively, or undefined when absent or empty. */
export function readHeader(headers: HeadersInput, name: string): string | undefined {
  let value: unknown;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    value = (headers as { get(name: string): string | null }).get(name);
  } else {
    const record = headers as Record<string, unknown>;
    value = record[name];
    if (value === undefined) {
      const lower = name.toLowerCase();
      value = record[lower];
      if (value === undefined) {
        for (const key of Object.keys(record)) {
          if (key.toLowerCase() === lower) {
            value = record[key];
            break;
          }
        }
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}
