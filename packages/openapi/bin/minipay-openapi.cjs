#!/usr/bin/env node
// The `minipay-openapi` bin. Committed (not built) so that npm links it at install time, before anything is built;
// the command itself is in dist/, made by the package's build.
'use strict';
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli.cjs');
let cli;
try {
  cli = require(built);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(built)) {
    process.stderr.write(
      'minipay-openapi: @minipay/openapi is not built yet. Run `npm run build` at the repository root ' +
        '(or `npm run build -w @minipay/openapi`), then run this command again.\n',
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
