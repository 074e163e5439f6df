#!/usr/bin/env node
// Validates a built mini program (default mini-app/dist) the way the IDE would reject it:
//   - every page in app.json has its .axml, .js and .json;
//   - every usingComponents path (app, pages, components) resolves to a component with .js/.json/.axml;
//   - no Node built-in is required, every require() is relative and resolves to a file inside dist;
//   - every file a template or style refers to (<import-sjs from>, <import src>, <include src>, an .sjs
//     import, an .acss @import) exists inside dist;
//   - every .js parses as ES2017 (acorn, ecmaVersion 2017);
//   - the whole package is under the platform's 2 MB main-package limit (the size is printed).
// Exits non-zero naming each problem. MINIPAY_BENCH_JSON=<file> also writes { "distBytes": n } there.
//
//   node scripts/check.mjs [distDir]
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'acorn';
import { fileReferences, isNodeBuiltin } from './mini-rules.mjs';

export const MAX_BYTES = 2 * 1024 * 1024;

/** @returns {{ problems: string[], bytes: number, files: number }} */
export function checkDist(distDir) {
  const problems = [];
  const root = resolve(distDir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    return { problems: [`${distDir} does not exist: run the build first (npm run build:mini)`], bytes: 0, files: 0 };
  }
  const files = walk(root);
  const rel = (file) => relative(root, file).split(sep).join('/');
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);

  const appJsonFile = join(root, 'app.json');
  const appJson = readJsonChecked(appJsonFile, problems, 'app.json');
  if (!existsSync(join(root, 'app.js'))) problems.push('app.js is missing');
  const pages = Array.isArray(appJson?.pages) ? appJson.pages : [];
  if (appJson && !pages.length) problems.push('app.json lists no pages');
  for (const page of pages) {
    for (const ext of ['.axml', '.js', '.json']) {
      if (!existsSync(join(root, page + ext))) problems.push(`page ${page}: ${page}${ext} is missing`);
    }
  }

  // usingComponents, from app.json and every other JSON that declares them.
  const checkUsing = (jsonFile, json) => {
    for (const [tag, target] of Object.entries(json?.usingComponents ?? {})) {
      if (typeof target !== 'string') continue;
      if (target.startsWith('plugin://')) continue;
      const base = target.startsWith('/') ? join(root, target) : resolve(dirname(jsonFile), target);
      const missing = ['.js', '.json', '.axml'].filter((ext) => !existsSync(base + ext));
      if (!base.startsWith(root + sep))
        problems.push(`${rel(jsonFile)}: component <${tag}> "${target}" points outside dist`);
      else if (missing.length)
        problems.push(`${rel(jsonFile)}: component <${tag}> "${target}" does not resolve (no ${missing.join(', ')})`);
    }
  };
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const json = file === appJsonFile ? appJson : readJsonChecked(file, problems, rel(file));
    checkUsing(file, json);
  }

  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(file, 'utf8');
    try {
      parse(source, { ecmaVersion: 2017, sourceType: 'script', allowReturnOutsideFunction: true });
    } catch (error) {
      problems.push(`${rel(file)}: does not parse as ES2017: ${error.message}`);
      continue;
    }
    for (const match of source.matchAll(/\brequire\(\s*(['"`])([^'"`]+)\1\s*\)/g)) {
      const spec = match[2];
      if (isNodeBuiltin(spec)) {
        problems.push(`${rel(file)}: requires the Node built-in "${spec}"`);
      } else if (!spec.startsWith('./') && !spec.startsWith('../')) {
        problems.push(`${rel(file)}: requires "${spec}", which is not a relative path`);
      } else {
        const target = resolve(dirname(file), spec);
        const found = [target, `${target}.js`, join(target, 'index.js')].find(
          (p) => existsSync(p) && statSync(p).isFile(),
        );
        if (!target.startsWith(root + sep)) problems.push(`${rel(file)}: requires "${spec}", outside dist`);
        else if (!found) problems.push(`${rel(file)}: requires "${spec}", which does not exist`);
      }
    }
  }

  // What templates, SJS and styles refer to: the IDE fails to compile a page whose references are missing.
  for (const file of files.filter((f) => /\.(axml|sjs|acss)$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    for (const ref of fileReferences(file, text)) {
      const target = ref.startsWith('/') ? join(root, ref) : resolve(dirname(file), ref);
      if (!ref.startsWith('/') && !ref.startsWith('./') && !ref.startsWith('../'))
        problems.push(`${rel(file)}: refers to "${ref}", which is not a relative path`);
      else if (!target.startsWith(root + sep)) problems.push(`${rel(file)}: refers to "${ref}", outside dist`);
      else if (!existsSync(target) || !statSync(target).isFile())
        problems.push(`${rel(file)}: refers to "${ref}", which does not exist`);
    }
  }

  if (bytes > MAX_BYTES) problems.push(`dist is ${formatBytes(bytes)}, over the 2 MB main-package limit`);
  return { problems, bytes, files: files.length };
}

function readJsonChecked(file, problems, name) {
  if (!existsSync(file)) {
    problems.push(`${name} is missing`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${name} is not valid JSON: ${error.message}`);
    return undefined;
  }
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

export function formatBytes(bytes) {
  return `${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB)`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const distDir = process.argv[2] ?? join(import.meta.dirname, '..', 'dist');
  const { problems, bytes, files } = checkDist(distDir);
  if (process.env.MINIPAY_BENCH_JSON)
    writeFileSync(process.env.MINIPAY_BENCH_JSON, `${JSON.stringify({ distBytes: bytes })}\n`);
  console.log(`mini-app dist: ${files} files, ${formatBytes(bytes)} of the 2 MB limit`);
  if (problems.length) {
    console.error(`mini-app check failed, ${problems.length} problem(s):`);
    for (const problem of problems) console.error(`  - ${problem}`);
    process.exitCode = 1;
  } else {
    console.log('mini-app check: OK');
  }
}
