// What `npm run bench` runs, in this order: one list, each entry a module whose default export is a BenchEntry.
// Another benchmark is one more module here: a package's own bench script that writes JSON (lib/npm-figures.mjs, as
// merchant-postgres does) or the production-shaped flow on another storage (productionFlowEntry with a BenchStorage,
// see lib/production-flow.mjs).
/**
 * @typedef {object} BenchEntry
 * @property {string} name   a short id (`npm run bench -- --only <name>`, and its key in the JSON)
 * @property {string} title  what it measures, in one line
 * @property {(context: BenchContext) => Promise<BenchResult>} run  throws when what it measures went wrong
 *
 * @typedef {object} BenchContext
 * @property {boolean} quick   a short run (a test runs it): the figures mean nothing, the shape of the work does
 * @property {string} scratch  an empty folder of its own, removed afterwards
 * @property {(line: string) => void} log  progress, for the terminal
 *
 * @typedef {object} BenchResult
 * @property {BenchRow[]} rows  its lines of bench/RESULTS.md
 * @property {unknown} [details] everything else, for the JSON (`--json <file>`)
 *
 * @typedef {object} BenchRow
 * @property {string} figure  what is measured
 * @property {string} value   the figure
 * @property {string} bound   the most it could be on this machine, measured in the same run ('—' when none)
 * @property {string} ratio   value / bound ('—' when none)
 * @property {string} [notes] how it was taken, the target, what it cost
 */
export const entries = [
  './entries/sizes.mjs',
  './entries/openapi-sign.mjs',
  './entries/orders-sqlite.mjs',
  './entries/merchant-postgres.mjs',
  './entries/preview.mjs',
];
