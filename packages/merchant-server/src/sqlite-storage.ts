// The embedded `Storage`: one SQLite file (WAL, busy timeout, foreign keys, full fsync on commit: an order that
// was answered as paid must survive a power cut). better-sqlite3 is synchronous; each method is one short
// transaction, so the event loop is held for microseconds. `BEGIN IMMEDIATE` takes the write lock up front so two
// processes on the same file queue on `busy_timeout` instead of failing to upgrade a read lock.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MerchantServerError } from './errors';
import { MIGRATIONS, type Migration } from './internal/migrations';
import type { OrderStatus } from '@minipay/contract';
import type {
  NewOrder,
  OrderEventRecord,
  OrderLineRecord,
  OrderRecord,
  TransitionCause,
  TransitionRequest,
} from './order-record';
import type { CustomerTokenRecord, NotificationRecord, PayingCursor, Storage } from './storage';

export interface SqliteStorageOptions {
  /** How long a writer waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** The migrations to apply (tests pass extra ones). Default: all of this package's. */
  migrations?: readonly Migration[];
}

interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  currency: string;
  amount: number;
  payment_request_id: string | null;
  payment_id: string | null;
  payment_url: string | null;
  fail_code: string | null;
  fail_message: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  paying_since: number | null;
}

interface LineRow {
  product_id: string;
  name: string;
  quantity: number;
  unit_price: number;
  line_total: number;
}

interface EventRow {
  id: number;
  order_id: string;
  from_status: OrderStatus;
  to_status: OrderStatus;
  cause: TransitionCause;
  detail: string | null;
  created_at: number;
}

export class SqliteStorage implements Storage {
  /** The underlying connection, for tests and tools that read the tables directly. */
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Opens (creating if needed) the database file and applies pending migrations. */
  static open(path: string, options: SqliteStorageOptions = {}): SqliteStorage {
    let db: Database.Database;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
    } catch (error) {
      throw new MerchantServerError(`cannot open the database at ${path}: ${(error as Error).message}`, {
        code: 'STORAGE_ERROR',
        cause: error,
      });
    }
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db, options.migrations ?? MIGRATIONS);
    } catch (error) {
      db.close();
      if (error instanceof MerchantServerError) throw error;
      throw new MerchantServerError(`cannot prepare the database at ${path}: ${(error as Error).message}`, {
        code: 'STORAGE_ERROR',
        cause: error,
      });
    }
    return new SqliteStorage(db);
  }

  async createOrder(order: NewOrder): Promise<void> {
    const insertOrder = this.stmt(
      `INSERT INTO orders (id, customer_id, status, currency, amount, created_at, updated_at, expires_at)
       VALUES (?, ?, 'CREATED', ?, ?, ?, ?, ?)`,
    );
    const insertLine = this.stmt(
      `INSERT INTO order_lines (order_id, line_no, product_id, name, quantity, unit_price, line_total)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      insertOrder.run(
        order.id,
        order.customerId,
        order.currency,
        order.amount,
        order.createdAt,
        order.createdAt,
        order.expiresAt,
      );
      order.lines.forEach((line, index) => {
        insertLine.run(order.id, index, line.productId, line.name, line.quantity, line.unitPrice, line.lineTotal);
      });
    })();
  }

  async getOrder(id: string): Promise<OrderRecord | undefined> {
    const row = this.stmt('SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined;
    return row === undefined ? undefined : this.toOrder(row);
  }

  async findOrderByPayment(reference: {
    paymentId?: string;
    paymentRequestId?: string;
  }): Promise<OrderRecord | undefined> {
    let row: OrderRow | undefined;
    if (reference.paymentId !== undefined) {
      row = this.stmt('SELECT * FROM orders WHERE payment_id = ?').get(reference.paymentId) as OrderRow | undefined;
    }
    if (row === undefined && reference.paymentRequestId !== undefined) {
      row = this.stmt('SELECT * FROM orders WHERE payment_request_id = ?').get(reference.paymentRequestId) as
        OrderRow | undefined;
    }
    return row === undefined ? undefined : this.toOrder(row);
  }

  async transition(request: TransitionRequest): Promise<boolean> {
    if (request.from.length === 0) return false;
    const update = this.transitionStatement(request.from.length);
    const readStatus = this.stmt('SELECT status FROM orders WHERE id = ?');
    const insertEvent = this.stmt(
      'INSERT INTO order_events (order_id, from_status, to_status, cause, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const set = request.set ?? {};
    const run = this.db.transaction((): boolean => {
      // Read and update inside one write transaction: the status read here is the one the update replaced.
      // (PostgreSQL: `SELECT status ... FOR UPDATE`, or take it from the UPDATE's RETURNING of a self-join.)
      const before = readStatus.get(request.orderId) as { status: OrderStatus } | undefined;
      if (before === undefined || !request.from.includes(before.status)) return false;
      const result = update.run(
        request.to,
        request.at,
        set.paymentRequestId ?? null,
        set.paymentId ?? null,
        set.failCode ?? null,
        set.failMessage ?? null,
        set.payingSince ?? null,
        request.orderId,
        ...request.from,
      );
      if (result.changes !== 1) return false;
      insertEvent.run(request.orderId, before.status, request.to, request.cause, request.detail ?? null, request.at);
      return true;
    });
    return run.immediate();
  }

  async setPaymentDetails(
    orderId: string,
    details: { paymentId: string; paymentUrl: string | null },
    at: number,
  ): Promise<boolean> {
    const result = this.stmt(
      `UPDATE orders SET payment_id = ?, payment_url = COALESCE(?, payment_url), updated_at = ?
         WHERE id = ? AND (payment_id IS NULL OR payment_id = ?)`,
    ).run(details.paymentId, details.paymentUrl, at, orderId, details.paymentId);
    return result.changes === 1;
  }

  async listPayingSince(before: number, limit: number, after?: PayingCursor): Promise<OrderRecord[]> {
    const rows = (
      after === undefined
        ? this.stmt(
            `SELECT * FROM orders WHERE status = 'PAYING' AND paying_since < ? ORDER BY paying_since, id LIMIT ?`,
          ).all(before, limit)
        : this.stmt(
            `SELECT * FROM orders WHERE status = 'PAYING' AND paying_since < ?
                 AND (paying_since > ? OR (paying_since = ? AND id > ?))
               ORDER BY paying_since, id LIMIT ?`,
          ).all(before, after.payingSince, after.payingSince, after.id, limit)
    ) as OrderRow[];
    return rows.map((row) => this.toOrder(row));
  }

  async listCreatedExpired(now: number, limit: number): Promise<OrderRecord[]> {
    const rows = this.stmt(
      `SELECT * FROM orders WHERE status = 'CREATED' AND expires_at < ? ORDER BY expires_at LIMIT ?`,
    ).all(now, limit) as OrderRow[];
    return rows.map((row) => this.toOrder(row));
  }

  async listEvents(orderId?: string): Promise<OrderEventRecord[]> {
    const rows = (
      orderId === undefined
        ? this.stmt('SELECT * FROM order_events ORDER BY id').all()
        : this.stmt('SELECT * FROM order_events WHERE order_id = ? ORDER BY id').all(orderId)
    ) as EventRow[];
    return rows.map((row) => ({
      id: row.id,
      orderId: row.order_id,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      cause: row.cause,
      detail: row.detail,
      at: row.created_at,
    }));
  }

  async recordNotification(notification: NotificationRecord): Promise<void> {
    this.stmt(
      `INSERT INTO notifications (order_id, payment_id, payment_request_id, result_status, result_code, outcome, body, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      notification.orderId,
      notification.paymentId,
      notification.paymentRequestId,
      notification.resultStatus,
      notification.resultCode,
      notification.outcome,
      notification.body,
      notification.at,
    );
  }

  async saveCustomerToken(token: CustomerTokenRecord): Promise<void> {
    // Portable upsert: SQLite ≥ 3.24 and PostgreSQL share `ON CONFLICT ... DO UPDATE SET col = excluded.col`.
    this.stmt(
      `INSERT INTO customers (customer_id, access_token, access_token_expires_at, refresh_token, refresh_token_expires_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (customer_id) DO UPDATE SET
           access_token = excluded.access_token,
           access_token_expires_at = excluded.access_token_expires_at,
           refresh_token = excluded.refresh_token,
           refresh_token_expires_at = excluded.refresh_token_expires_at,
           updated_at = excluded.updated_at`,
    ).run(
      token.customerId,
      token.accessToken,
      token.accessTokenExpiresAt,
      token.refreshToken,
      token.refreshTokenExpiresAt,
      token.at,
    );
  }

  async getCustomerToken(customerId: string): Promise<CustomerTokenRecord | undefined> {
    const row = this.stmt('SELECT * FROM customers WHERE customer_id = ?').get(customerId) as
      | {
          customer_id: string;
          access_token: string;
          access_token_expires_at: number | null;
          refresh_token: string | null;
          refresh_token_expires_at: number | null;
          updated_at: number;
        }
      | undefined;
    if (row === undefined) return undefined;
    return {
      customerId: row.customer_id,
      accessToken: row.access_token,
      accessTokenExpiresAt: row.access_token_expires_at,
      refreshToken: row.refresh_token,
      refreshTokenExpiresAt: row.refresh_token_expires_at,
      at: row.updated_at,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Statements are prepared once and reused. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private transitionStatement(fromCount: number): Database.Statement {
    const placeholders = Array.from({ length: fromCount }, () => '?').join(', ');
    return this.stmt(
      `UPDATE orders SET
           status = ?,
           updated_at = ?,
           payment_request_id = COALESCE(payment_request_id, ?),
           payment_id = COALESCE(payment_id, ?),
           fail_code = COALESCE(?, fail_code),
           fail_message = COALESCE(?, fail_message),
           paying_since = COALESCE(?, paying_since)
       WHERE id = ? AND status IN (${placeholders})`,
    );
  }

  private toOrder(row: OrderRow): OrderRecord {
    const lines = this.stmt(
      'SELECT product_id, name, quantity, unit_price, line_total FROM order_lines WHERE order_id = ? ORDER BY line_no',
    ).all(row.id) as LineRow[];
    return {
      id: row.id,
      customerId: row.customer_id,
      status: row.status,
      currency: row.currency,
      amount: row.amount,
      lines: lines.map((line): OrderLineRecord => ({
        productId: line.product_id,
        name: line.name,
        quantity: line.quantity,
        unitPrice: line.unit_price,
        lineTotal: line.line_total,
      })),
      paymentRequestId: row.payment_request_id,
      paymentId: row.payment_id,
      paymentUrl: row.payment_url,
      failCode: row.fail_code,
      failMessage: row.fail_message,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      expiresAt: row.expires_at,
      payingSince: row.paying_since,
    };
  }
}

/** Applies the migrations not yet in `schema_migrations`, each in its own write transaction. */
function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    applied_at BIGINT NOT NULL
  )`);
  const applied = db.prepare('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const latest = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (latest > known) {
    throw new MerchantServerError(
      `the database is at schema version ${latest}, newer than this server knows (${known}); run the newer server or restore a backup`,
      { code: 'STORAGE_ERROR' },
    );
  }
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    db.transaction(() => {
      // Checked inside the write lock: when two processes start at once, the second sees the first's work.
      if (applied.get(migration.version) !== undefined) return;
      for (const statement of migration.statements) db.exec(statement);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}
