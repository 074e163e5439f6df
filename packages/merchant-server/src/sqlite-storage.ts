// The embedded `Storage`: one SQLite file (WAL, busy timeout, foreign keys, every commit on disk before a method
// returns: an order that was answered as paid must survive a power cut; the fsync is a group commit in libuv's pool,
// internal/wal-flush.ts). better-sqlite3 is synchronous; each method is one short transaction, so the event loop is
// held for microseconds. `BEGIN IMMEDIATE` takes the write lock up front so two processes on the same file queue on
// `busy_timeout` instead of failing to upgrade a read lock. The statements both storages share are in
// `internal/portable-sql.ts`.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MerchantServerError } from './errors';
import { WalFlush } from './internal/wal-flush';
import {
  latestVersion,
  MIGRATIONS,
  newerSchemaMessage,
  SCHEMA_MIGRATIONS_TABLE,
  SQLITE_DIALECT,
  statementsFor,
  type Migration,
} from './internal/migrations';
import * as sql from './internal/portable-sql';
import {
  notificationValues,
  toCustomerTokenRecord,
  toEventRecord,
  toOrderRecord,
  toOutboxRecord,
  toRefundRecord,
  type CustomerRow,
  type EventRow,
  type LineRow,
  type OrderRow,
  type OutboxRow,
  type RefundRow,
} from './internal/rows';
import type { OrderStatus } from '@minipay/contract';
import type {
  NewOrder,
  NewRefund,
  NotificationRecord,
  OrderEventRecord,
  OrderRecord,
  OutboxRecord,
  RefundRecord,
  RefundReservation,
  RefundSettlement,
  TransitionRequest,
} from './order-record';
import { refundEventDetail, reservationRefused } from './internal/refund-storage';
import type {
  CreateOrderOnceResult,
  CustomerTokenRecord,
  InquiryClaim,
  InquiryClaimResult,
  OrderListQuery,
  OrderIdempotency,
  Storage,
} from './storage';

export interface SqliteStorageOptions {
  /** How long a writer waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** The migrations to apply (tests pass extra ones). Default: all of this package's. */
  migrations?: readonly Migration[];
}

export class SqliteStorage implements Storage {
  /** The underlying connection, for tests and tools that read the tables directly. */
  readonly db: Database.Database;
  /** The migrations this open applied (none when another process had, or the schema was current). */
  readonly appliedMigrations: readonly number[];
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;

  private constructor(
    db: Database.Database,
    appliedMigrations: readonly number[],
    private readonly flush: WalFlush | undefined,
  ) {
    this.db = db;
    this.appliedMigrations = appliedMigrations;
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
    let applied: number[];
    // In memory, or where the file system refuses WAL: SQLite's own full fsync per commit.
    let flush: WalFlush | undefined;
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      const journal = db.pragma('journal_mode = WAL', { simple: true });
      // Migrations commit with a full fsync each; after them the WAL is flushed by `WalFlush` (same durability).
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      applied = migrate(db, options.migrations ?? MIGRATIONS);
      if (journal === 'wal') {
        db.pragma('synchronous = NORMAL');
        flush = new WalFlush(`${path}-wal`);
      }
    } catch (error) {
      db.close();
      if (error instanceof MerchantServerError) throw error;
      throw new MerchantServerError(`cannot prepare the database at ${path}: ${(error as Error).message}`, {
        code: 'STORAGE_ERROR',
        cause: error,
      });
    }
    return new SqliteStorage(db, applied, flush);
  }

  async createOrder(order: NewOrder): Promise<void> {
    this.db.transaction(() => this.insertOrder(order))();
    return this.written(undefined);
  }

  async createOrderOnce(order: NewOrder, idempotency: OrderIdempotency): Promise<CreateOrderOnceResult> {
    const takeKey = this.stmt(sql.INSERT_IDEMPOTENCY_KEY);
    const readKey = this.stmt(sql.SELECT_IDEMPOTENCY_KEY);
    // One write transaction: the key is taken (or found taken) and the order written under the same lock.
    const held = this.db
      .transaction((): { created: boolean; orderId: string; requestHash: string } => {
        const taken = takeKey.run(
          order.customerId,
          idempotency.key,
          idempotency.requestHash,
          order.id,
          order.createdAt,
        );
        if (taken.changes === 1) {
          this.insertOrder(order);
          return { created: true, orderId: order.id, requestHash: idempotency.requestHash };
        }
        const row = readKey.get(order.customerId, idempotency.key) as { order_id: string; request_hash: string };
        return { created: false, orderId: row.order_id, requestHash: row.request_hash };
      })
      .immediate();
    if (held.created) await this.written(undefined);
    return {
      created: held.created,
      order: (await this.getOrder(held.orderId)) as OrderRecord,
      requestHash: held.requestHash,
    };
  }

  /** The order and its lines; inside the caller's transaction. */
  private insertOrder(order: NewOrder): void {
    const insertOrder = this.stmt(sql.INSERT_ORDER);
    const insertLine = this.stmt(sql.INSERT_LINE);
    {
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
    }
  }

  async getOrder(id: string): Promise<OrderRecord | undefined> {
    return this.read(this.orderWhere('id = ?', id));
  }

  async findOrderByPayment(reference: {
    paymentId?: string;
    paymentRequestId?: string;
  }): Promise<OrderRecord | undefined> {
    let order: OrderRecord | undefined;
    if (reference.paymentId !== undefined) order = this.orderWhere('payment_id = ?', reference.paymentId);
    if (order === undefined && reference.paymentRequestId !== undefined) {
      order = this.orderWhere('payment_request_id = ?', reference.paymentRequestId);
    }
    return this.read(order);
  }

  async transition(request: TransitionRequest): Promise<boolean> {
    if (request.from.length === 0) return false;
    const placeholders = request.from.map(() => '?').join(', ');
    const update = this.stmt(`${sql.TRANSITION_SET} WHERE id = ? AND status IN (${placeholders})`);
    const readStatus = this.stmt('SELECT status FROM orders WHERE id = ?');
    const insertEvent = this.stmt(sql.INSERT_EVENT);
    const insertOutbox = this.stmt(sql.INSERT_OUTBOX);
    const insertNotification = this.stmt(sql.INSERT_NOTIFICATION);
    const set = request.set ?? {};
    const notification = request.appliedNotification;
    const run = this.db.transaction((): boolean => {
      // Read and update inside one write transaction: the status read here is the one the update replaced.
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
      if (request.to === 'PAID') insertOutbox.run(request.orderId, 'order.paid', null, request.at, request.at);
      if (notification !== undefined)
        insertNotification.run(...notificationValues({ ...notification, outcome: 'applied' }));
      return true;
    });
    return this.writtenIf(run.immediate());
  }

  async setPaymentDetails(
    orderId: string,
    details: { paymentId: string; paymentUrl: string | null },
    at: number,
  ): Promise<boolean> {
    const result = this.stmt(sql.SET_PAYMENT_DETAILS).run(
      details.paymentId,
      details.paymentUrl,
      at,
      orderId,
      details.paymentId,
    );
    return this.writtenIf(result.changes === 1);
  }

  async claimInquiry(orderId: string, claim: InquiryClaim): Promise<InquiryClaimResult> {
    // One statement: SQLite has one writer at a time, so of two processes on the file exactly one sees the lease free.
    const limited = claim.notAskedSince !== undefined;
    const result = this.stmt(sql.CLAIM_INQUIRY + (limited ? sql.INQUIRY_RATE_LIMIT : '')).run(
      claim.at,
      claim.leaseUntil,
      claim.holder,
      orderId,
      claim.at,
      ...(limited ? [claim.notAskedSince] : []),
    );
    if (result.changes === 1) await this.written(undefined);
    return { claimed: result.changes === 1, order: await this.getOrder(orderId) };
  }

  async claimStaleInquiry(
    staleBefore: number,
    claim: InquiryClaim & { notAskedSince: number },
  ): Promise<OrderRecord | undefined> {
    const row = this.stmt(`${sql.STALE_INQUIRY_SET} WHERE id = (${sql.STALE_INQUIRY_CANDIDATES}) RETURNING id`).get(
      claim.at,
      claim.leaseUntil,
      claim.holder,
      staleBefore,
      claim.at,
      claim.notAskedSince,
    ) as { id: string } | undefined;
    if (row === undefined) return this.read(undefined);
    await this.written(undefined);
    return this.getOrder(row.id);
  }

  async releaseInquiry(orderId: string, holder: string): Promise<void> {
    this.stmt(sql.RELEASE_INQUIRY).run(orderId, holder);
    return this.written(undefined);
  }

  async listCreatedExpired(now: number, limit: number): Promise<OrderRecord[]> {
    return this.read(this.ordersWhere(sql.CREATED_EXPIRED_WHERE, now, limit));
  }

  async listEvents(orderId?: string): Promise<OrderEventRecord[]> {
    const rows = (
      orderId === undefined ? this.stmt(sql.LIST_EVENTS).all() : this.stmt(sql.LIST_ORDER_EVENTS).all(orderId)
    ) as EventRow[];
    return this.read(rows.map(toEventRecord));
  }

  async recordNotification(notification: NotificationRecord): Promise<void> {
    this.stmt(sql.INSERT_NOTIFICATION).run(...notificationValues(notification));
    return this.written(undefined);
  }

  async listOrders(query: OrderListQuery): Promise<OrderRecord[]> {
    const { where, parameters } = sql.orderListWhere(query);
    return this.read(this.ordersWhere(where, ...parameters));
  }

  async reserveRefund(refund: NewRefund): Promise<RefundReservation> {
    const reserve = this.stmt(sql.RESERVE_REFUND);
    const insert = this.stmt(sql.INSERT_REFUND);
    const existing = this.stmt(sql.SELECT_REFUND);
    // One write transaction (BEGIN IMMEDIATE): reservations from every connection to the file run one after another.
    const run = this.db.transaction((): RefundReservation => {
      const order = this.orderWhere('id = ?', refund.orderId);
      if (order === undefined) return { status: 'missing' };
      const earlier = existing.get(refund.refundRequestId) as RefundRow | undefined;
      if (earlier !== undefined) return { status: 'duplicate', refund: toRefundRecord(earlier), order };
      const changed = reserve.run(refund.amount, refund.at, refund.orderId, refund.amount).changes === 1;
      if (!changed) return reservationRefused(order);
      insert.run(
        refund.refundRequestId,
        order.id,
        order.currency,
        refund.amount,
        refund.reason,
        refund.initiator,
        order.paymentId,
        order.paymentRequestId,
        refund.at,
        refund.at,
        refund.at,
      );
      return {
        status: 'reserved',
        refund: toRefundRecord(existing.get(refund.refundRequestId) as RefundRow),
        order: this.orderWhere('id = ?', refund.orderId) as OrderRecord,
      };
    });
    const reservation = run.immediate();
    return reservation.status === 'reserved' ? this.written(reservation) : this.read(reservation);
  }

  async settleRefund(refundRequestId: string, settlement: RefundSettlement): Promise<boolean> {
    const settle = this.stmt(sql.SETTLE_REFUND);
    const adjust = this.stmt(settlement.status === 'SUCCEEDED' ? sql.ADD_REFUNDED : sql.RELEASE_REFUND);
    const readStatus = this.stmt('SELECT status FROM orders WHERE id = ?');
    const insertEvent = this.stmt(sql.INSERT_EVENT);
    const insertOutbox = this.stmt(sql.INSERT_OUTBOX);
    const run = this.db.transaction((): boolean => {
      const settled = settle.get(
        settlement.status,
        settlement.status === 'SUCCEEDED' ? settlement.refundId : null,
        settlement.status === 'FAILED' ? settlement.failCode : null,
        settlement.status === 'FAILED' ? settlement.failMessage : null,
        settlement.at,
        refundRequestId,
      ) as { order_id: string; amount: number } | undefined;
      if (settled === undefined) return false;
      adjust.run(settled.amount, settlement.at, settled.order_id);
      const { status } = readStatus.get(settled.order_id) as { status: OrderStatus };
      const detail = refundEventDetail(refundRequestId, settled.amount, settlement);
      insertEvent.run(settled.order_id, status, status, 'refund', detail, settlement.at);
      if (settlement.status === 'SUCCEEDED') {
        insertOutbox.run(settled.order_id, 'order.refunded', refundRequestId, settlement.at, settlement.at);
      }
      return true;
    });
    return this.writtenIf(run.immediate());
  }

  async getRefund(refundRequestId: string): Promise<RefundRecord | undefined> {
    const row = this.stmt(sql.SELECT_REFUND).get(refundRequestId) as RefundRow | undefined;
    return this.read(row === undefined ? undefined : toRefundRecord(row));
  }

  async listRefunds(orderId: string): Promise<RefundRecord[]> {
    return this.read((this.stmt(sql.LIST_ORDER_REFUNDS).all(orderId) as RefundRow[]).map(toRefundRecord));
  }

  async claimPendingRefund(lastAttemptBefore: number, at: number): Promise<RefundRecord | undefined> {
    const row = this.stmt(
      `${sql.PENDING_REFUND_SET} WHERE refund_request_id = (${sql.PENDING_REFUND_CANDIDATES}) RETURNING *`,
    ).get(at, lastAttemptBefore) as RefundRow | undefined;
    return row === undefined ? this.read(undefined) : this.written(toRefundRecord(row));
  }

  async recordLatePayment(orderId: string, at: number): Promise<boolean> {
    return this.writtenIf(this.stmt(sql.RECORD_LATE_PAYMENT).run(at, orderId).changes === 1);
  }

  async claimOutbox(at: number, leaseUntil: number, holder: string): Promise<OutboxRecord | undefined> {
    const row = this.stmt(`${sql.CLAIM_OUTBOX_SET} WHERE id = (${sql.DUE_OUTBOX}) RETURNING *`).get(
      leaseUntil,
      holder,
      at,
      at,
    ) as OutboxRow | undefined;
    return row === undefined ? this.read(undefined) : this.written(toOutboxRecord(row));
  }

  async finishOutbox(
    id: number,
    holder: string,
    result: { delivered: true; at: number } | { delivered: false; error: string; nextAttemptAt: number },
  ): Promise<void> {
    if (result.delivered) this.stmt(sql.DELIVERED_OUTBOX).run(result.at, id, holder);
    else this.stmt(sql.FAILED_OUTBOX).run(result.nextAttemptAt, result.error, id, holder);
    return this.written(undefined);
  }

  async listOutbox(): Promise<OutboxRecord[]> {
    return this.read((this.stmt(sql.LIST_OUTBOX).all() as OutboxRow[]).map(toOutboxRecord));
  }

  async saveCustomerToken(token: CustomerTokenRecord): Promise<void> {
    this.stmt(sql.UPSERT_CUSTOMER).run(
      token.customerId,
      token.accessToken,
      token.accessTokenExpiresAt,
      token.refreshToken,
      token.refreshTokenExpiresAt,
      token.at,
    );
    return this.written(undefined);
  }

  async getCustomerToken(customerId: string): Promise<CustomerTokenRecord | undefined> {
    const row = this.stmt(sql.SELECT_CUSTOMER).get(customerId) as CustomerRow | undefined;
    return this.read(row === undefined ? undefined : toCustomerTokenRecord(row));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush?.close();
    this.db.close();
  }

  // Every method returns through one of these three: its result once each commit it made or could have read is on
  // disk (see internal/wal-flush.ts).

  /** After a write transaction that committed. */
  private async written<T>(value: T): Promise<T> {
    this.flush?.committed();
    await this.flush?.durable();
    return value;
  }

  /** After a conditional write: `true` when it changed something. */
  private writtenIf(changed: boolean): Promise<boolean> {
    return changed ? this.written(true) : this.read(false);
  }

  /** After reading: what was read may be a commit of a concurrent call whose flush is still running. */
  private async read<T>(value: T): Promise<T> {
    await this.flush?.durable();
    return value;
  }

  /** Statements are prepared once and reused. */
  private stmt(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private orderWhere(where: string, ...parameters: unknown[]): OrderRecord | undefined {
    return this.ordersWhere(where, ...parameters)[0];
  }

  private ordersWhere(where: string, ...parameters: unknown[]): OrderRecord[] {
    const rows = this.stmt(`SELECT * FROM orders WHERE ${where}`).all(...parameters) as OrderRow[];
    const lines = this.stmt(sql.SELECT_LINES);
    return rows.map((row) => toOrderRecord(row, lines.all(row.id) as LineRow[]));
  }
}

/**
 * Applies the migrations not yet in `schema_migrations`, each in its own write transaction. The write lock is the
 * migration lock: when two processes start at once, the second waits (busy_timeout) and then sees the first's work.
 */
function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  db.exec(SCHEMA_MIGRATIONS_TABLE);
  const applied = db.prepare('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare(sql.RECORD_MIGRATION);
  const current = (db.prepare(sql.SELECT_MIGRATION_VERSION).get() as { version: number | null }).version ?? 0;
  const known = latestVersion(migrations);
  if (current > known) throw new MerchantServerError(newerSchemaMessage(current, known), { code: 'STORAGE_ERROR' });
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    db.transaction(() => {
      if (applied.get(migration.version) !== undefined) return;
      for (const statement of statementsFor(migration, SQLITE_DIALECT)) db.exec(statement);
      record.run(migration.version, migration.name, Date.now());
      done.push(migration.version);
    }).immediate();
  }
  return done;
}
