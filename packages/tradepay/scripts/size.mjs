// `npm run size`: prints the minified + gzipped size of the ESM entry and fails above the budget.
// MINIPAY_BENCH_JSON=<file> also writes { "minGzipBytes": n, "limit": 2048 } there for the benchmarks.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { LIMIT, measure } = createRequire(import.meta.url)('./measure.cjs');
const { minGzipBytes } = await measure();
console.log(`@minipay/tradepay dist/index.mjs minified + gzipped: ${minGzipBytes} bytes (limit ${LIMIT})`);
if (process.env.MINIPAY_BENCH_JSON) {
  writeFileSync(process.env.MINIPAY_BENCH_JSON, JSON.stringify({ minGzipBytes, limit: LIMIT }) + '\n');
}
if (minGzipBytes > LIMIT) {
  console.error(`over the limit by ${minGzipBytes - LIMIT} bytes`);
  process.exitCode = 1;
}
