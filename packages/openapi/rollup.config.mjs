import { libraryConfig } from '../../scripts/rollup-library.mjs';

// cli: the `minipay-openapi` command, loaded by the committed bin/minipay-openapi.cjs.
export default libraryConfig({
  packageDir: import.meta.dirname,
  entries: { index: 'src/index.ts', cli: 'src/cli.ts' },
});
