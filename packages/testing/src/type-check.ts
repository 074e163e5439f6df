// Type-checking a README's code example against a package's sources, as the README tests do: the example is one
// in-memory module (plus optional ambient declarations for the names it leaves to the reader), compiled strictly.
import { join } from 'node:path';

export interface TypeCheckOptions {
  /** The package folder: `paths` are relative to it, and the example is placed in its test folder. */
  packageDir: string;
  /** Module names → source files, e.g. `{ '@minipay/openapi': ['src/index.ts'] }`. */
  paths: Record<string, string[]>;
  /** Declarations the example may use without importing them (e.g. `declare const clientId: string;`). */
  ambient?: string;
  /** Default ES2022 (ES2017 for code that runs in a mini program). */
  target?: 'ES2017' | 'ES2022';
  /** Default the target's lib, e.g. `['lib.es2022.d.ts', 'lib.dom.d.ts']` for an example that calls fetch. */
  lib?: string[];
  /** Default `['node']`. */
  types?: string[];
}

/** The compiler's messages for `code` (none when it type-checks). typescript is loaded when this is called (CommonJS and
 * jest only), not when the package is imported by a script that only needs the browser. */
export function typeCheckExample(code: string, options: TypeCheckOptions): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on call, not on import (see above)
  const ts = require('typescript') as typeof import('typescript');
  const file = join(options.packageDir, 'test', '__readme_example__.ts');
  const ambient = join(options.packageDir, 'test', '__readme_ambient__.d.ts');
  const sources = new Map([
    [file, code],
    ...(options.ambient === undefined ? [] : ([[ambient, options.ambient]] as const)),
  ]);
  const target = options.target ?? 'ES2022';
  const compilerOptions: import('typescript').CompilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: target === 'ES2017' ? ts.ScriptTarget.ES2017 : ts.ScriptTarget.ES2022,
    lib: options.lib ?? [target === 'ES2017' ? 'lib.es2017.d.ts' : 'lib.es2022.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: options.types ?? ['node'],
    skipLibCheck: true,
    baseUrl: options.packageDir,
    paths: options.paths,
  };
  const host = ts.createCompilerHost(compilerOptions);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) => {
    const text = sources.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, version, ...rest)
      : ts.createSourceFile(name, text, version);
  };
  host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
  host.readFile = (name) => sources.get(name) ?? readFile.call(host, name);
  const program = ts.createProgram([...sources.keys()], compilerOptions, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
