import { libraryConfig } from '../../scripts/rollup-library.mjs';

export default libraryConfig({
  packageDir: import.meta.dirname,
  entries: {
    index: 'src/index.ts',
    // The shim runs inside the mini program: its own tsconfig (ES2017, no Node types) makes a Node
    // built-in or a newer language feature fail the build.
    mini: { source: 'src/mini/index.ts', tsconfig: 'tsconfig.mini.json' },
    cli: 'src/cli.ts',
  },
  banner: { cli: '#!/usr/bin/env node' },
  // The command exports nothing: no declaration file.
  untyped: ['cli'],
});
