// The global `my` of the mini program host. The ES2017 lib this package compiles against (on purpose: no
// Node or DOM types may leak into mini program code) does not declare it, so it is declared here, scoped
// to this module, and looked up at call time so that tests and shims installed late are seen.
declare const my: unknown;

/** The global `my`, or `undefined` outside a mini program. */
export function globalMy(): unknown {
  return typeof my === 'undefined' ? undefined : my;
}
