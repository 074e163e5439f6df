// The preview's browser bundle and the time from `npm start` to the first page painted (packages/preview/bench).
import { npmFigures } from '../lib/npm-figures.mjs';

/** @type {import('../entries.mjs').BenchEntry} */
export default {
  name: 'preview',
  title: "the preview's bundle and `npm start` to first paint",
  async run(context) {
    const preview = npmFigures(context, 'preview', ['run', 'bench', '--silent', '-w', '@minipay/preview']);
    return {
      rows: [
        {
          figure: "preview's browser bundle (view + worker), minified + gzipped",
          value: `${(preview.bundleMinGzipBytes / 1024).toFixed(1)} KiB`,
          bound: '—',
          ratio: '—',
          notes: `${(preview.bundleBytes / 1024).toFixed(1)} KiB as served`,
        },
        {
          figure: '`npm start` → first page painted in the preview',
          value: `${(preview.startToFirstPaintMs / 1000).toFixed(1)} s`,
          bound: '—',
          ratio: '—',
          notes: `URL printed at ${(preview.startToUrlMs / 1000).toFixed(1)} s; ${preview.openToFirstPaintMs} ms from opening the URL; settled at ${(preview.startToSettledMs / 1000).toFixed(1)} s`,
        },
      ],
      details: preview,
    };
  },
};
