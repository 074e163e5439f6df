// The sizes the platform limits: the tradePay bundle (its own budget) and the sample mini program's `dist`.
import { npmFigures } from '../lib/npm-figures.mjs';

const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024;

/** @type {import('../entries.mjs').BenchEntry} */
export default {
  name: 'sizes',
  title: 'the tradePay bundle and the mini program dist, next to their limits',
  async run(context) {
    const size = npmFigures(context, 'tradepay-size', ['run', 'size', '--silent', '-w', '@minipay/tradepay']);
    const mini = npmFigures(context, 'mini-app-size', ['run', 'check:mini', '--silent']);
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
