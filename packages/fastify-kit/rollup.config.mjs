import { libraryConfig } from '../../scripts/rollup-library.mjs';

export default libraryConfig({ packageDir: import.meta.dirname, entries: { index: 'src/index.ts' } });
