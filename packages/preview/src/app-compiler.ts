// A built mini program folder → the bundle the browser runs (src/browser/shared/ir.ts AppBundle): app.json,
// each page's and component's JSON, compiled templates, SJS and CSS, and every `.js` file for the worker's
// module loader. Nothing here knows any particular mini program: pages come from app.json, components from
// the `usingComponents` of the pages and, transitively, of the components.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import type { AppBundle, ComponentEntry, PageEntry, PreviewProblem } from './browser/shared/ir';
import { compileAcss } from './acss';
import { compileTemplate, type CompileResult } from './axml-compiler';
import { PreviewError } from './errors';
import { joinInside } from './internal/paths';
import { transformSjs } from './sjs';

export interface CompileAppOptions {
  dir: string;
  width: number;
  sandboxUrl?: string;
}

/** Style isolation the preview implements: component styles apply to the whole page (the platform's default). */
const SHARED_STYLES = new Set([undefined, 'shared']);

export function compileApp(options: CompileAppOptions): AppBundle {
  const { dir, width } = options;
  const cache = new Map<string, string | undefined>();
  const read = (path: string): string | undefined => {
    if (!cache.has(path)) {
      const file = join(dir, ...path.split('/'));
      cache.set(path, existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined);
    }
    return cache.get(path);
  };
  const problems: PreviewProblem[] = [];
  const appText = read('app.json');
  if (appText === undefined) {
    throw new PreviewError(
      'NOT_A_MINI_PROGRAM',
      `${dir} has no app.json: pass --dir the built mini program folder (the one the IDE opens)`,
    );
  }
  const appJson = parseJson('app.json', appText, problems) as AppBundle['appJson'];
  if (!Array.isArray(appJson.pages) || appJson.pages.length === 0) {
    problems.push({ code: 'APP_JSON', file: 'app.json', message: 'app.json lists no pages ("pages": [...])' });
    appJson.pages = [];
  }
  if (read('app.js') === undefined)
    problems.push({ code: 'MISSING_FILE', file: 'app.js', message: `${dir} has no app.js` });

  const templates: CompileResult = { files: {}, problems };
  const components: Record<string, ComponentEntry> = {};
  const componentCss = new Map<string, string>();
  /** Components each component uses, for the page's CSS. */
  const componentDeps = new Map<string, string[]>();

  const usingOf = (jsonPath: string, json: Record<string, unknown>): Record<string, string> => {
    const using = (json.usingComponents ?? {}) as Record<string, string>;
    const resolved: Record<string, string> = {};
    for (const [tag, target] of Object.entries(using)) {
      const path = resolveComponent(jsonPath, target, read);
      if (!path) {
        problems.push({
          code: 'UNKNOWN_COMPONENT',
          file: jsonPath,
          message: `usingComponents "${tag}": "${target}" in ${jsonPath} has no ${target}.json and .axml in the folder`,
        });
        continue;
      }
      resolved[tag] = path;
      visitComponent(path);
    }
    return resolved;
  };

  const visitComponent = (path: string): void => {
    if (components[path]) return;
    const jsonPath = `${path}.json`;
    const json = parseJson(jsonPath, read(jsonPath) ?? '{}', problems);
    components[path] = { path, json, template: `${path}.axml` };
    if (json.component !== true)
      problems.push({ code: 'COMPONENT_JSON', file: jsonPath, message: `${jsonPath} does not say "component": true` });
    if (!SHARED_STYLES.has(json.styleIsolation as string | undefined)) {
      problems.push({
        code: 'UNSUPPORTED',
        file: jsonPath,
        message: `${jsonPath}: styleIsolation "${String(json.styleIsolation)}" is not supported by the preview, which applies every component's styles to the whole page (the platform's "shared")`,
      });
    }
    if (read(`${path}.js`) === undefined)
      problems.push({ code: 'MISSING_FILE', file: `${path}.js`, message: `component ${path} has no ${path}.js` });
    const using = usingOf(jsonPath, json);
    componentDeps.set(path, Object.values(using));
    compileTemplate(`${path}.axml`, { read, components: using, jsonPath }, templates);
    componentCss.set(path, compileAcss(`${path}.acss`, read, width, problems));
  };

  const pages: Record<string, PageEntry> = {};
  for (const route of appJson.pages) {
    const jsonPath = `${route}.json`;
    const json = parseJson(jsonPath, read(jsonPath) ?? '{}', problems);
    for (const ext of ['.axml', '.js']) {
      if (read(route + ext) === undefined)
        problems.push({
          code: 'MISSING_FILE',
          file: route + ext,
          message: `page ${route} (app.json) has no ${route}${ext}`,
        });
    }
    const using = usingOf(jsonPath, json);
    compileTemplate(`${route}.axml`, { read, components: using, jsonPath }, templates);
    const used: string[] = [];
    const collect = (path: string) => {
      if (used.includes(path)) return;
      for (const dep of componentDeps.get(path) ?? []) collect(dep);
      used.push(path);
    };
    for (const path of Object.values(using)) collect(path);
    const css = [
      `/* app.acss */\n${compileAcss('app.acss', read, width, problems)}`,
      ...used.map((path) => `/* ${path}.acss */\n${componentCss.get(path) ?? ''}`),
      `/* ${route}.acss */\n${compileAcss(`${route}.acss`, read, width, problems)}`,
    ].join('\n');
    pages[route] = { route, json, template: `${route}.axml`, css };
  }

  // SJS: every module a template imports, and what those import.
  const sjs: Record<string, string> = {};
  const pending = Object.values(templates.files).flatMap((file) => Object.values(file.sjs));
  while (pending.length) {
    const path = pending.pop() as string;
    if (sjs[path] !== undefined) continue;
    const result = transformSjs(path, read(path) ?? '', (target) => read(target) !== undefined);
    sjs[path] = result.code;
    problems.push(...result.problems);
    pending.push(...result.imports);
  }

  return {
    appJson,
    width,
    pages,
    components,
    templates: templates.files,
    sjs,
    scripts: readScripts(dir),
    problems,
    ...(options.sandboxUrl ? { sandboxUrl: options.sandboxUrl } : {}),
  };
}

/** `usingComponents` targets: relative to the JSON, absolute from the folder's root, or a package in its node_modules. */
function resolveComponent(
  jsonPath: string,
  target: string,
  read: (path: string) => string | undefined,
): string | undefined {
  const candidates: Array<string | undefined> = [];
  if (target.startsWith('.') || target.startsWith('/')) candidates.push(joinInside(jsonPath, target));
  else candidates.push(joinInside('', `node_modules/${target}`), joinInside(jsonPath, target));
  for (const candidate of candidates) {
    if (!candidate) continue;
    const path = candidate.replace(/\.(js|json|axml)$/, '');
    if (read(`${path}.json`) !== undefined && read(`${path}.axml`) !== undefined) return path;
    if (read(`${path}/index.json`) !== undefined && read(`${path}/index.axml`) !== undefined) return `${path}/index`;
  }
  return undefined;
}

function parseJson(path: string, text: string, problems: PreviewProblem[]): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    problems.push({ code: 'JSON', file: path, message: `${path} is not a JSON object` });
  } catch (error) {
    problems.push({ code: 'JSON', file: path, message: `${path} is not valid JSON: ${(error as Error).message}` });
  }
  return {};
}

/** Every `.js` file of the folder (dot folders skipped), by its path inside the folder. */
function readScripts(dir: string): Record<string, string> {
  const scripts: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.js'))
        scripts[relative(dir, full).split(sep).join(posix.sep)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return scripts;
}
