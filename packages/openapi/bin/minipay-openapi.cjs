#!/usr/bin/env node
// The `minipay-openapi` command as npm links it at install time: committed, so the command exists from `npm install` on
// (a bin pointing into dist/ would not be linked in a fresh clone). It runs the build, or says in one line what to run
// when there is none yet (exit code 2: could not check, as the command's own codes say).
'use strict';
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli.cjs');
let cli;
try {
  cli = require(built);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(built)) {
    process.stderr.write(
      'minipay-openapi is not built yet: run `npm run build` at the repository root (or `npm start`, which builds what it needs)\n',
    );
    process.exit(2);
  }
  throw error;
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`minipay-openapi: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
