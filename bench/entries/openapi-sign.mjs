// @minipay/openapi's sign and verify next to raw node:crypto doing the same work (packages/openapi/bench): the
// wrapper's overhead, which must stay within 3%.
import { npmFigures } from '../lib/npm-figures.mjs';

const rate = (n) => `${Math.round(n).toLocaleString('en-US')}/s`;

/** @type {import('../entries.mjs').BenchEntry} */
export default {
  name: 'openapi-sign',
  title: "the signing wrapper's throughput next to raw node:crypto",
  async run(context) {
    const env = context.quick ? { MINIPAY_BENCH_ROUNDS: '1', MINIPAY_BENCH_SLICE_MS: '100' } : {};
    const figures = npmFigures(context, 'openapi-sign', ['run', 'bench', '--silent', '-w', '@minipay/openapi'], env);
    const rows = [];
    for (const [name, f] of Object.entries(figures)) {
      const algorithm = name.toUpperCase();
      for (const [op, wrapped, raw] of [
        ['sign', f.signPerSec, f.rawSignPerSec],
        ['verify', f.verifyPerSec, f.rawVerifyPerSec],
        ['pooled sign', f.pooledSignPerSec, f.rawPooledSignPerSec],
        ['pooled verify', f.pooledVerifyPerSec, f.rawPooledVerifyPerSec],
      ]) {
        if (wrapped === undefined) continue;
        const overhead = ((raw - wrapped) / raw) * 100;
        rows.push({
          figure: op.startsWith('pooled') ? `${op} ${algorithm}, libuv's pool` : `${op} ${algorithm}, one core`,
          value: rate(wrapped),
          bound: `${rate(raw)} (raw node:crypto${op.startsWith('pooled') ? ' with a callback' : ''})`,
          ratio: `${((wrapped / raw) * 100).toFixed(1)}%`,
          notes: `wrapper overhead ${overhead >= 0 ? '+' : '−'}${Math.abs(overhead).toFixed(1)}% (budget 3%)`,
        });
      }
    }
    return { rows, details: figures };
  },
};
