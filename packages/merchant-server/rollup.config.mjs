import { libraryConfig } from '../../scripts/rollup-library.mjs';

// Two entries: the library (`startMerchantServer`, `loadConfig`, ...) and the `minipay-merchant` CLI.
export default libraryConfig({
  packageDir: import.meta.dirname,
  entries: { index: 'src/index.ts', cli: 'src/cli.ts' },
  banner: { cli: '#!/usr/bin/env node' },
  // The command exports nothing: no declaration file.
  untyped: ['cli'],
});
