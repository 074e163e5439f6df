// The Node side has the library shape of every package (scripts/rollup-library.mjs); the browser side is
// two more bundles, the view (page) and the worker (logic), served by the server from dist/browser.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { libraryConfig } from '../../scripts/rollup-library.mjs';

const packageDir = import.meta.dirname;

// The ESM build needs __dirname (the server finds dist/browser next to itself).
const ESM_DIRNAME =
  "import { fileURLToPath as __previewFileURLToPath } from 'node:url';\nimport { dirname as __previewDirname } from 'node:path';\nconst __dirname = __previewDirname(__previewFileURLToPath(import.meta.url));";

const node = libraryConfig({
  packageDir,
  entries: { index: 'src/index.ts', cli: 'src/cli.ts' },
  banner: { cli: '#!/usr/bin/env node' },
  // The command exports nothing: no declaration file.
  untyped: ['cli'],
}).map((config) => {
  if (!Array.isArray(config.output)) return config;
  return {
    ...config,
    output: config.output.map((output) =>
      output.format === 'es' ? { ...output, banner: [output.banner, ESM_DIRNAME].filter(Boolean).join('\n') } : output,
    ),
  };
});

/** The names of the platform's JSAPIs, from its own type declarations: a JSAPI the preview lacks throws naming itself. */
function platformJsapis() {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@mini-types/my/types/lib.my.d.ts');
  const text = readFileSync(file, 'utf8');
  const top = text.slice(0, text.indexOf('declare namespace my.'));
  const names = [
    ...new Set([...top.matchAll(/^ {2}export function ([A-Za-z0-9]+)/gm)].map((match) => match[1])),
  ].sort();
  return {
    name: 'platform-jsapis',
    resolveId: (id) => (id === 'virtual:platform-jsapis' ? '\0platform-jsapis' : null),
    load: (id) => (id === '\0platform-jsapis' ? `export default ${JSON.stringify(names)};` : null),
  };
}

const browser = ['view', 'worker'].map((name) => ({
  input: resolve(packageDir, `src/browser/${name}/index.ts`),
  plugins: [
    // The browser side imports nothing from npm: only its own files and the JSAPI list.
    platformJsapis(),
    typescript({
      tsconfig: resolve(packageDir, 'tsconfig.browser.json'),
      compilerOptions: { noEmit: false, declaration: false, outDir: undefined },
    }),
  ],
  output: { file: resolve(packageDir, `dist/browser/${name}.js`), format: 'iife', sourcemap: false },
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY') throw new Error(warning.message);
    warn(warning);
  },
}));

export default [...node, ...browser];
