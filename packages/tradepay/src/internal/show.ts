/** A value as an error message shows it: JSON where possible (`""`, `null`, `{"error":...}`), else `String`. */
export function show(value: unknown): string {
  try {
    // JSON.stringify throws on cycles and BigInt, and gives undefined for undefined, functions and symbols.
    return JSON.stringify(value) || String(value);
  } catch (_) {
    return String(value);
  }
}
