// Schema migrations, versioned in code and applied in order; `schema_migrations` records what ran. One list for both
// storages: the SQL is portable (VARCHAR/BIGINT/TEXT types, CHECK constraints, plain indexes), and the one thing that
// differs, the type of a generated row id, comes from the dialect. A migration is never edited after release; a change
// is a new migration. Each storage applies them under its own lock (SQLite's write lock, PostgreSQL's advisory lock),
// so instances that start at the same moment migrate once.

/** What differs between the two databases in a schema statement. */
export interface SqlDialect {
  name: 'sqlite' | 'postgres';
  /** A generated, increasing row id that is the primary key. */
  rowId: string;
}

export const SQLITE_DIALECT: SqlDialect = { name: 'sqlite', rowId: 'INTEGER PRIMARY KEY' };
export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',
  rowId: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
};

/** A statement, or a statement that depends on the dialect (undefined: none in that dialect). */
export type MigrationStatement = string | ((dialect: SqlDialect) => string | undefined);

export interface Migration {
  version: number;
  name: string;
  statements: readonly MigrationStatement[];
}

/** The statements of a migration as `dialect` runs them. */
export function statementsFor(migration: Migration, dialect: SqlDialect): string[] {
  return migration.statements
    .map((statement) => (typeof statement === 'string' ? statement : statement(dialect)))
    .filter((statement): statement is string => statement !== undefined);
}

/** The highest version in `migrations` (0 for none): a database at a higher one was migrated by a newer server. */
export function latestVersion(migrations: readonly Migration[]): number {
  return Math.max(0, ...migrations.map((m) => m.version));
}

/** The refusal to run against a schema newer than this server knows. */
export function newerSchemaMessage(databaseVersion: number, known: number): string {
  return `the database is at schema version ${databaseVersion}, newer than this server knows (${known}); run the newer server or restore a backup`;
}

/** The table of applied migrations, the same in both databases. */
export const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    applied_at BIGINT NOT NULL
  )`;

const STATUSES = "('CREATED', 'PAYING', 'PAID', 'FAILED', 'CANCELLED', 'EXPIRED')";

/** Refunds never exceed what was paid: confirmed ≤ reserved ≤ the order's amount. */
const REFUND_BOUNDS = 'refunded_amount >= 0 AND refunded_amount <= refund_reserved AND refund_reserved <= amount';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'orders, lines, events, notifications, customers',
    statements: [
      `CREATE TABLE customers (
        customer_id VARCHAR(64) PRIMARY KEY,
        access_token TEXT NOT NULL,
        access_token_expires_at BIGINT,
        refresh_token TEXT,
        refresh_token_expires_at BIGINT,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE orders (
        id VARCHAR(64) PRIMARY KEY,
        customer_id VARCHAR(64) NOT NULL,
        status VARCHAR(16) NOT NULL CHECK (status IN ${STATUSES}),
        currency CHAR(3) NOT NULL,
        amount BIGINT NOT NULL CHECK (amount > 0),
        payment_request_id VARCHAR(64) UNIQUE,
        payment_id VARCHAR(64) UNIQUE,
        payment_url TEXT,
        fail_code VARCHAR(64),
        fail_message VARCHAR(256),
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        paying_since BIGINT
      )`,
      'CREATE INDEX orders_status_paying_since ON orders (status, paying_since)',
      'CREATE INDEX orders_status_expires_at ON orders (status, expires_at)',
      'CREATE INDEX orders_customer ON orders (customer_id)',
      `CREATE TABLE order_lines (
        order_id VARCHAR(64) NOT NULL REFERENCES orders (id),
        line_no INTEGER NOT NULL,
        product_id VARCHAR(64) NOT NULL,
        name VARCHAR(200) NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
        line_total BIGINT NOT NULL CHECK (line_total >= 0),
        PRIMARY KEY (order_id, line_no)
      )`,
      (d) => `CREATE TABLE order_events (
        id ${d.rowId},
        order_id VARCHAR(64) NOT NULL REFERENCES orders (id),
        from_status VARCHAR(16) NOT NULL CHECK (from_status IN ${STATUSES}),
        to_status VARCHAR(16) NOT NULL CHECK (to_status IN ${STATUSES}),
        cause VARCHAR(32) NOT NULL,
        detail TEXT,
        created_at BIGINT NOT NULL
      )`,
      'CREATE INDEX order_events_order ON order_events (order_id, id)',
      (d) => `CREATE TABLE notifications (
        id ${d.rowId},
        order_id VARCHAR(64),
        payment_id VARCHAR(64),
        payment_request_id VARCHAR(64),
        result_status VARCHAR(8) NOT NULL,
        result_code VARCHAR(64) NOT NULL,
        outcome VARCHAR(32) NOT NULL,
        body TEXT NOT NULL,
        received_at BIGINT NOT NULL
      )`,
      'CREATE INDEX notifications_order ON notifications (order_id)',
    ],
  },
  {
    version: 2,
    name: 'the inquiry lease: one inquiry per order at a time, and per interval, across instances',
    statements: [
      // When the wallet was last asked about the order (the rate limit), and who asks now and until when (the lease:
      // set by one conditional update, so of several instances exactly one gets it; it expires, so a crashed holder
      // does not block the order forever).
      'ALTER TABLE orders ADD COLUMN last_inquiry_at BIGINT',
      'ALTER TABLE orders ADD COLUMN inquiry_lease_until BIGINT',
      'ALTER TABLE orders ADD COLUMN inquiry_holder VARCHAR(64)',
    ],
  },
  {
    version: 3,
    name: 'refunds: each stored before the wallet is asked; never more than was paid',
    statements: [
      // What is reserved (refunds succeeded or pending) and what the wallet confirmed, in minor units. The reservation
      // is one conditional update; the CHECK is the database's own guarantee that no code path can over-refund.
      'ALTER TABLE orders ADD COLUMN refund_reserved BIGINT NOT NULL DEFAULT 0',
      // SQLite cannot add a table constraint to an existing table, but a column's CHECK may name other columns.
      (d) =>
        d.name === 'sqlite'
          ? `ALTER TABLE orders ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (${REFUND_BOUNDS})`
          : 'ALTER TABLE orders ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0',
      (d) =>
        d.name === 'postgres'
          ? `ALTER TABLE orders ADD CONSTRAINT orders_refunds_bounded CHECK (${REFUND_BOUNDS})`
          : undefined,
      // Money the wallet reported received for an order already closed: that order is refundable too.
      'ALTER TABLE orders ADD COLUMN late_payment_at BIGINT',
      `CREATE TABLE refunds (
        refund_request_id VARCHAR(64) PRIMARY KEY,
        order_id VARCHAR(64) NOT NULL REFERENCES orders (id),
        currency CHAR(3) NOT NULL,
        amount BIGINT NOT NULL CHECK (amount > 0),
        status VARCHAR(16) NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        reason VARCHAR(256),
        initiator VARCHAR(16) NOT NULL CHECK (initiator IN ('operator', 'auto')),
        payment_id VARCHAR(64),
        payment_request_id VARCHAR(64) NOT NULL,
        refund_id VARCHAR(64),
        fail_code VARCHAR(64),
        fail_message VARCHAR(256),
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        last_attempt_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1
      )`,
      'CREATE INDEX refunds_order ON refunds (order_id, created_at)',
      'CREATE INDEX refunds_pending ON refunds (status, last_attempt_at)',
      // Order history: a customer's orders and everyone's, newest first, by (created_at, id) cursors.
      'CREATE INDEX orders_customer_created ON orders (customer_id, created_at, id)',
      'CREATE INDEX orders_created ON orders (created_at, id)',
    ],
  },
  {
    version: 4,
    name: 'the fulfilment outbox: written with the transition, delivered to the hook until it succeeds',
    statements: [
      // One row per event, inserted in the transaction that made it happen (the order becoming PAID, a refund
      // succeeding), so a crash can neither lose it nor make it twice; delivered under a lease, like an inquiry.
      (d) => `CREATE TABLE outbox (
        id ${d.rowId},
        order_id VARCHAR(64) NOT NULL REFERENCES orders (id),
        event VARCHAR(32) NOT NULL CHECK (event IN ('order.paid', 'order.refunded')),
        refund_request_id VARCHAR(64),
        created_at BIGINT NOT NULL,
        next_attempt_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_until BIGINT,
        holder VARCHAR(64),
        delivered_at BIGINT,
        last_error VARCHAR(256)
      )`,
      'CREATE INDEX outbox_due ON outbox (delivered_at, next_attempt_at)',
    ],
  },
  {
    version: 5,
    name: 'idempotency keys of order creation: one order per customer and key',
    statements: [
      // The primary key is the guarantee: of concurrent creates with one key (on any instance) one inserts its row.
      // The order is written after its key in the same transaction, hence the deferred reference. A key is kept as
      // long as its order (at least the 24 h a client may retry within).
      `CREATE TABLE order_idempotency_keys (
        customer_id VARCHAR(64) NOT NULL,
        idempotency_key VARCHAR(255) NOT NULL,
        request_hash CHAR(64) NOT NULL,
        order_id VARCHAR(64) NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (customer_id, idempotency_key)
      )`,
    ],
  },
];
