// The examples in the READMEs order products the catalog has: a reader who pastes one gets an order, not
// 400 UNKNOWN_PRODUCT (the tradepay page example once ordered 'coffee', which the catalog does not have).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CATALOG } from '../../packages/merchant-server/src/catalog';
import { repoRoot } from './helpers';

const markdown = spawnSync('git', ['ls-files', '*.md'], { cwd: repoRoot, encoding: 'utf8' }).stdout.trim().split('\n');

test('every productId in a README example is in the catalog (unless the text says it is not)', () => {
  const ids = new Set(DEMO_CATALOG.list().map((product) => product.id));
  const ordered = markdown.flatMap((file) =>
    readFileSync(join(repoRoot, file), 'utf8')
      .split('\n')
      // A line that shows the error for an unknown product names one on purpose.
      .filter((line) => !line.includes('is not in the catalog'))
      .flatMap((line) =>
        [...line.matchAll(/"?productId"?\s*:\s*['"]([^'"]+)['"]/g)].map((match) => `${file}: ${match[1]}`),
      ),
  );
  expect(ordered.length).toBeGreaterThan(2);
  expect(ordered.filter((entry) => !ids.has(entry.slice(entry.lastIndexOf(': ') + 2)))).toEqual([]);
});
