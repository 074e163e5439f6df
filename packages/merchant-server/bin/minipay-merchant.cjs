#!/usr/bin/env node
// The `minipay-merchant` command as npm links it at install time: committed, so the command exists from `npm install` on
// (a bin pointing into dist/ would not be linked in a fresh clone, and npx would ask the registry instead). It runs
// the build, or says in one line what to run when there is none yet.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli.cjs');
if (existsSync(built)) {
  require(built);
} else {
  process.stderr.write(
    'minipay-merchant is not built yet: run `npm run build` at the repository root (or `npm start`, which builds what it needs)\n',
  );
  process.exitCode = 1;
}
