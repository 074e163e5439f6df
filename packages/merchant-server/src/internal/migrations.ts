// Schema migrations, versioned in code and applied in order; `schema_migrations` records what ran. The SQL is
// kept portable to PostgreSQL: VARCHAR/BIGINT/TEXT types, no SQLite-only syntax except where noted (an
// `INTEGER PRIMARY KEY` row id becomes `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY` there).
// A migration is never edited after release; a change is a new migration.

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

const STATUSES = "('CREATED', 'PAYING', 'PAID', 'FAILED', 'CANCELLED', 'EXPIRED')";

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
      // PostgreSQL: id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY.
      `CREATE TABLE order_events (
        id INTEGER PRIMARY KEY,
        order_id VARCHAR(64) NOT NULL REFERENCES orders (id),
        from_status VARCHAR(16) NOT NULL CHECK (from_status IN ${STATUSES}),
        to_status VARCHAR(16) NOT NULL CHECK (to_status IN ${STATUSES}),
        cause VARCHAR(32) NOT NULL,
        detail TEXT,
        created_at BIGINT NOT NULL
      )`,
      'CREATE INDEX order_events_order ON order_events (order_id, id)',
      // PostgreSQL: id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY.
      `CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
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
];
