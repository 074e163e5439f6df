// The module loader: each `.js` file of the folder runs once, as CommonJS, with `require`, `module`,
// `exports` and the platform's globals as parameters. `require` resolves relative (and folder-absolute)
// specifiers inside the folder only, as the platform does; anything else is an error that names the
// requiring file and the specifier. Each file is evaluated with a `//# sourceURL=app:///<path>`, so stack
// traces (and the overlay) name the file and line of the dist.

export interface Globals {
  App: unknown;
  Page: unknown;
  Component: unknown;
  getApp: unknown;
  getCurrentPages: unknown;
  my: unknown;
}

export class RequireError extends Error {
  override readonly name = 'RequireError';
  constructor(
    message: string,
    readonly from: string,
    readonly specifier: string,
  ) {
    super(message);
  }
}

const PARAMETERS = [
  'require',
  'module',
  'exports',
  'App',
  'Page',
  'Component',
  'getApp',
  'getCurrentPages',
  'my',
] as const;

export class ModuleLoader {
  private readonly cache = new Map<string, { exports: unknown }>();

  constructor(
    private readonly scripts: Record<string, string>,
    private readonly globals: Globals,
  ) {}

  has(path: string): boolean {
    return this.scripts[path] !== undefined;
  }

  /** Runs `path` (once) and returns its exports. */
  load(path: string): unknown {
    const cached = this.cache.get(path);
    if (cached) return cached.exports;
    const code = this.scripts[path];
    if (code === undefined) throw new RequireError(`${path} is not a file of the mini program`, path, path);
    const module = { exports: {} as unknown };
    this.cache.set(path, module);
    // The wrapper sits on the file's first line, so line numbers in stack traces are the file's own.
    const factory = (0, eval)(`(function (${PARAMETERS.join(', ')}) {${code}\n})\n//# sourceURL=app:///${path}`) as (
      ...args: unknown[]
    ) => void;
    const require = (specifier: string) => this.load(this.resolve(path, specifier));
    const g = this.globals;
    factory.call(
      module.exports,
      require,
      module,
      module.exports,
      g.App,
      g.Page,
      g.Component,
      g.getApp,
      g.getCurrentPages,
      g.my,
    );
    return module.exports;
  }

  resolve(from: string, specifier: string): string {
    if (typeof specifier !== 'string' || specifier === '')
      throw new RequireError(
        `require(${JSON.stringify(specifier)}) in ${from}: the specifier must be a path`,
        from,
        String(specifier),
      );
    let base: string | undefined;
    if (specifier.startsWith('/')) base = normalise(specifier.slice(1));
    else if (specifier.startsWith('./') || specifier.startsWith('../'))
      base = normalise(`${dirname(from)}/${specifier}`);
    else base = normalise(`node_modules/${specifier}`);
    if (base !== undefined) {
      for (const candidate of [base, `${base}.js`, `${base}/index.js`])
        if (this.scripts[candidate] !== undefined) return candidate;
    }
    const why =
      base === undefined
        ? 'it points outside the mini program folder'
        : specifier.startsWith('.') || specifier.startsWith('/')
          ? `no ${base}.js (or ${base}/index.js) in the folder`
          : 'only files of the folder can be required (relative paths, or a package copied into its node_modules)';
    throw new RequireError(`require("${specifier}") in ${from} does not resolve: ${why}`, from, specifier);
  }
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** `a/./b/../c` → `a/c`; undefined when it climbs above the folder. */
function normalise(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}
