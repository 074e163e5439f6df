// The sizes the platform limits: the tradePay bundle (its own budget) and the sample mini program's `dist`.
import { join } from 'node:path';
import { runNpm } from '../../scripts/lib/stack.mjs';
import { npmFigures } from '../lib/npm-figures.mjs';

const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024;

/** @type {import('../entries.mjs').BenchEntry} */
export default {
  name: 'sizes',
  title: 'the tradePay bundle and the mini program dist, next to their limits',
  async run(context) {
    const size = npmFigures(context, 'tradepay-size', ['run', 'size', '--silent', '-w', '@minipay/tradepay']);
    // Built here, into the run's scratch folder: a fresh clone has no mini-app/dist, and the bench must not write one.
    const dist = join(context.scratch, 'mini-app-dist');
    context.log(`npm run build:mini -- --out-dir ${dist}`);
    runNpm(['run', 'build:mini', '--silent', '--', '--out-dir', dist]);
    const mini = npmFigures(context, 'mini-app-size', ['run', 'check:mini', '--silent', '--', dist]);
    return {
      rows: [
        {
          figure: 'tradePay bundle, ESM minified + gzipped',
          value: `${size.minGzipBytes} B`,
          bound: `${size.limit} B (its budget)`,
          ratio: `${((size.minGzipBytes / size.limit) * 100).toFixed(0)}%`,
        },
        {
          figure: 'mini program `dist` (sandbox build)',
          value: `${(mini.distBytes / 1024).toFixed(1)} KiB`,
          bound: '2 MB (platform main-package limit)',
          ratio: `${((mini.distBytes / MAIN_PACKAGE_LIMIT) * 100).toFixed(1)}%`,
        },
      ],
      details: { tradepay: size, miniApp: mini },
    };
  },
};
