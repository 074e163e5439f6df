// The merchant's SQLite file as a storage of the production-shaped bench (see production-flow.mjs for the
// interface): the merchant process writes it; the bench reads it afterwards, read-only, to prove that every
// notification was applied exactly once.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const FINAL = "('PAID', 'FAILED', 'CANCELLED', 'EXPIRED')";

/** @type {import('./production-flow.mjs').BenchStorage} */
export const sqliteStorage = {
  label: 'SQLite',
  async open({ home }) {
    const file = join(home, 'merchant.db');
    return {
      env: { MINIPAY_DATABASE_PATH: file },
      async check(orderIds) {
        const Database = require('better-sqlite3');
        const db = new Database(file, { readonly: true });
        try {
          const ids = JSON.stringify(orderIds);
          const inSet = 'order_id IN (SELECT value FROM json_each(?))';
          // Orders with more than one transition into a final status, and how many transitions too many in all.
          const { doubleTransitions, extraEvents } = db
            .prepare(
              `SELECT COUNT(*) AS doubleTransitions, COALESCE(SUM(n - 1), 0) AS extraEvents FROM (
                 SELECT COUNT(*) AS n FROM order_events WHERE to_status IN ${FINAL} AND ${inSet}
                 GROUP BY order_id HAVING COUNT(*) > 1)`,
            )
            .get(ids);
          const { paid } = db
            .prepare(
              `SELECT COUNT(*) AS paid FROM orders WHERE status = 'PAID' AND id IN (SELECT value FROM json_each(?))`,
            )
            .get(ids);
          return { paid, doubleTransitions, extraEvents };
        } finally {
          db.close();
        }
      },
      async close() {},
    };
  },
};
