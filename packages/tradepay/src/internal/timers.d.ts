// Timers every mini program host provides (and Node, and browsers). Declared here because the ES2017 lib
// does not declare them and this package must not depend on Node or DOM types. Handles stay opaque.
declare function setTimeout(handler: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;
