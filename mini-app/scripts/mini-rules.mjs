// What a mini program's files may hold, shared by the build (which refuses what breaks the rules) and the check
// (which reports it in a finished dist): the Node built-ins the runtime lacks, and the files a template, an SJS
// module or a style pulls in. One list and one set of patterns, so the two scripts cannot disagree.
import { builtinModules } from 'node:module';

/** Node's built-in modules, with and without `node:`; the mini program runtime has none of them. */
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** Whether `specifier` names a Node built-in (`fs`, `node:fs`, `fs/promises`). */
export function isNodeBuiltin(specifier) {
  return BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);
}

/** The patterns of each kind of file: what `<import-sjs from>`, `<import src>`, `<include src>`, an SJS import and an `@import` name. */
const REFERENCES = {
  axml: [/<import-sjs\b[^>]*?\bfrom="([^"]+)"/g, /<(?:import|include)\b[^>]*?\bsrc="([^"]+)"/g],
  sjs: [/\bfrom\s+['"]([^'"]+)['"]/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g],
  acss: [/@import\s+(?:url\()?\s*['"]([^'"]+)['"]/g],
};

/** The paths an `.axml`, `.sjs` or `.acss` file refers to, in order; none for another kind of file. */
export function fileReferences(file, text) {
  const patterns = REFERENCES[file.slice(file.lastIndexOf('.') + 1)] ?? [];
  return patterns.flatMap((pattern) => Array.from(text.matchAll(pattern), (match) => match[1]));
}
