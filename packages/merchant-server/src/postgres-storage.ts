// `Storage` on PostgreSQL, for several instances of the server on one database (node-postgres, a pool per instance).
// Every guarantee is the database's, so it holds however many instances run:
// - a transition reads the status `FOR UPDATE` and updates `WHERE status = ANY(<allowed sources>)` in one transaction:
//   of concurrent writers exactly one changes the row (READ COMMITTED re-checks the condition after waiting);
// - `payment_request_id` and `payment_id` are UNIQUE, and set only where still NULL;
// - the inquiry lease is one conditional UPDATE; the reconciler's claim picks its order `FOR UPDATE SKIP LOCKED`, so
//   instances claiming at once take different orders without waiting on each other, and holds it with the lease
//   column, not with a row lock, because the wallet call takes up to the wallet timeout and a transaction held open
//   that long would hold back the notification that wants to update the same row;
// - migrations run under `pg_advisory_lock`, so instances that start at once migrate once.
// BIGINT columns (amounts in minor units, epoch milliseconds, row ids) are read as JavaScript numbers: every value
// stored there is far below 2^53.
import pg from 'pg';
import { MerchantServerError } from './errors';
import { databaseUrlProblem, redactDatabaseUrl } from './internal/database-url';
import {
  latestVersion,
  MIGRATIONS,
  newerSchemaMessage,
  POSTGRES_DIALECT,
  SCHEMA_MIGRATIONS_TABLE,
  statementsFor,
  type Migration,
} from './internal/migrations';
import * as sql from './internal/portable-sql';
import { numbered } from './internal/portable-sql';
import { refundEventDetail, reservationRefused } from './internal/refund-storage';
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
import type {
  CreateOrderOnceResult,
  CustomerTokenRecord,
  InquiryClaim,
  InquiryClaimResult,
  OrderListQuery,
  OrderIdempotency,
  Storage,
} from './storage';

export interface PostgresStorageOptions {
  /** Connections this instance keeps at most. Default 10. */
  poolSize?: number;
  /** The server cancels a statement running longer than this (`statement_timeout`). Default 5000 ms. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection: to the server, or a free one of the pool. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** The migrations to apply (tests pass extra ones). Default: all of this package's. */
  migrations?: readonly Migration[];
  /** Told of an error of an idle connection (the server restarted, the network broke); the pool opens a new one. */
  onIdleError?: (error: Error) => void;
  /** Shown in `pg_stat_activity`. Default `minipay-merchant`. */
  applicationName?: string;
}

/** The session-level advisory lock held while migrating (any constant; it only has to be the same in every instance). */
export const MIGRATION_LOCK_KEY = 7_372_150_501;

/** How long an instance waits for another one's migrations before giving up. */
const MIGRATION_LOCK_TIMEOUT_MS = 60_000;

const INT8_OID = 20;
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? (text: string) => Number(text)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** An order's columns and its lines as one JSON array, so that an order is read in one round trip. */
const ORDER_COLUMNS = `orders.*, COALESCE((
    SELECT json_agg(json_build_object(
      'product_id', l.product_id, 'name', l.name, 'quantity', l.quantity,
      'unit_price', l.unit_price, 'line_total', l.line_total) ORDER BY l.line_no)
    FROM order_lines l WHERE l.order_id = orders.id), '[]'::json) AS lines`;

type OrderWithLines = OrderRow & { lines: LineRow[] };

const toOrder = (row: OrderWithLines): OrderRecord => toOrderRecord(row, row.lines);

/**
 * An order and its lines in one statement (so it is atomic without a transaction): the lines come as arrays, one per
 * column, and `unnest` makes rows of them.
 */
const CREATE_ORDER = `WITH inserted AS (${numbered(sql.INSERT_ORDER)} RETURNING id)
  INSERT INTO order_lines (order_id, line_no, product_id, name, quantity, unit_price, line_total)
  SELECT inserted.id, line.line_no, line.product_id, line.name, line.quantity, line.unit_price, line.line_total
  FROM inserted, unnest($8::int[], $9::varchar[], $10::varchar[], $11::int[], $12::bigint[], $13::bigint[])
    AS line (line_no, product_id, name, quantity, unit_price, line_total)`;

/** The parameters of `CREATE_ORDER`: the order's columns, then its lines as one array per column. */
function createOrderParameters(order: NewOrder): unknown[] {
  const { lines } = order;
  return [
    order.id,
    order.customerId,
    order.currency,
    order.amount,
    order.createdAt,
    order.createdAt,
    order.expiresAt,
    lines.map((_, index) => index),
    lines.map((line) => line.productId),
    lines.map((line) => line.name),
    lines.map((line) => line.quantity),
    lines.map((line) => line.unitPrice),
    lines.map((line) => line.lineTotal),
  ];
}

const TRANSITION = `${numbered(sql.TRANSITION_SET)} WHERE id = $8 AND status = ANY($9)`;

export class PostgresStorage implements Storage {
  /** The connection pool, for tests and tools that query the tables directly. */
  readonly pool: pg.Pool;
  /** The migrations this open applied (none when another instance had, or the schema was current). */
  readonly appliedMigrations: readonly number[];
  private closing: Promise<void> | undefined;

  private constructor(pool: pg.Pool, appliedMigrations: readonly number[]) {
    this.pool = pool;
    this.appliedMigrations = appliedMigrations;
  }

  /**
   * Connects, applies pending migrations (once, under an advisory lock, whoever else starts at the same moment) and
   * opens the pool.
   * @throws MerchantServerError `CONFIG_INVALID` for a URL that is not a PostgreSQL URL; `STORAGE_ERROR` when the
   *   server cannot be reached, refuses the connection, or holds a schema newer than this server knows. Messages show
   *   the URL without its password.
   */
  static async open(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    const problem = databaseUrlProblem(url);
    if (problem !== undefined) throw new MerchantServerError(`the database URL ${problem}`, { code: 'CONFIG_INVALID' });
    const shown = redactDatabaseUrl(new URL(url));
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const applicationName = options.applicationName ?? 'minipay-merchant';

    const migrator = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: `${applicationName} (migrations)`,
      types: TYPES,
      lock_timeout: MIGRATION_LOCK_TIMEOUT_MS,
    });
    // An error of this connection after it failed is the same failure, already reported by connect() or query().
    migrator.on('error', () => undefined);
    try {
      await migrator.connect();
    } catch (error) {
      await migrator.end().catch(() => undefined);
      throw new MerchantServerError(`cannot connect to PostgreSQL at ${shown}: ${connectionFailure(error)}`, {
        code: 'STORAGE_ERROR',
        cause: error,
      });
    }
    let applied: number[];
    try {
      applied = await migrate(migrator, options.migrations ?? MIGRATIONS);
    } catch (error) {
      if (error instanceof MerchantServerError) throw error;
      const reason =
        (error as { code?: string }).code === '55P03'
          ? `another instance has held the migration lock for ${MIGRATION_LOCK_TIMEOUT_MS / 1000} s`
          : (error as Error).message;
      throw new MerchantServerError(`cannot migrate the PostgreSQL database at ${shown}: ${reason}`, {
        code: 'STORAGE_ERROR',
        cause: error,
      });
    } finally {
      await migrator.end().catch(() => undefined);
    }

    const statementTimeoutMs = options.statementTimeoutMs ?? 5000;
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: statementTimeoutMs,
      // A transaction left open (a paused process) would hold its row locks; the server ends it instead.
      idle_in_transaction_session_timeout: statementTimeoutMs,
      application_name: applicationName,
      types: TYPES,
    });
    // Without a listener, an error of an idle connection would crash the process; the pool replaces the connection.
    pool.on('error', (error) => options.onIdleError?.(error));
    return new PostgresStorage(pool, applied);
  }

  async createOrder(order: NewOrder): Promise<void> {
    await this.pool.query(CREATE_ORDER, createOrderParameters(order));
  }

  async createOrderOnce(order: NewOrder, idempotency: OrderIdempotency): Promise<CreateOrderOnceResult> {
    const held = await this.inTransaction(async (client) => {
      // A second caller with the same key waits here for the first one's commit, then finds the key taken.
      const taken = await client.query(numbered(sql.INSERT_IDEMPOTENCY_KEY), [
        order.customerId,
        idempotency.key,
        idempotency.requestHash,
        order.id,
        order.createdAt,
      ]);
      if (taken.rowCount === 1) {
        await client.query(CREATE_ORDER, createOrderParameters(order));
        return { created: true, orderId: order.id, requestHash: idempotency.requestHash };
      }
      const row = await client.query<{ order_id: string; request_hash: string }>(numbered(sql.SELECT_IDEMPOTENCY_KEY), [
        order.customerId,
        idempotency.key,
      ]);
      const found = row.rows[0] as { order_id: string; request_hash: string };
      return { created: false, orderId: found.order_id, requestHash: found.request_hash };
    });
    return {
      created: held.created,
      order: (await this.getOrder(held.orderId)) as OrderRecord,
      requestHash: held.requestHash,
    };
  }

  async getOrder(id: string): Promise<OrderRecord | undefined> {
    return this.orderWhere('id = $1', [id]);
  }

  async findOrderByPayment(reference: {
    paymentId?: string;
    paymentRequestId?: string;
  }): Promise<OrderRecord | undefined> {
    let order: OrderRecord | undefined;
    if (reference.paymentId !== undefined) order = await this.orderWhere('payment_id = $1', [reference.paymentId]);
    if (order === undefined && reference.paymentRequestId !== undefined) {
      order = await this.orderWhere('payment_request_id = $1', [reference.paymentRequestId]);
    }
    return order;
  }

  async transition(request: TransitionRequest): Promise<boolean> {
    if (request.from.length === 0) return false;
    const set = request.set ?? {};
    return this.inTransaction(async (client) => {
      // The row lock makes the status read here the one the update replaces (and the one the event records).
      const before = await client.query<{ status: string }>('SELECT status FROM orders WHERE id = $1 FOR UPDATE', [
        request.orderId,
      ]);
      const status = before.rows[0]?.status;
      if (status === undefined || !(request.from as readonly string[]).includes(status)) return false;
      const updated = await client.query(TRANSITION, [
        request.to,
        request.at,
        set.paymentRequestId ?? null,
        set.paymentId ?? null,
        set.failCode ?? null,
        set.failMessage ?? null,
        set.payingSince ?? null,
        request.orderId,
        request.from,
      ]);
      if (updated.rowCount !== 1) return false;
      await client.query(numbered(sql.INSERT_EVENT), [
        request.orderId,
        status,
        request.to,
        request.cause,
        request.detail ?? null,
        request.at,
      ]);
      if (request.to === 'PAID') {
        await client.query(numbered(sql.INSERT_OUTBOX), [request.orderId, 'order.paid', null, request.at, request.at]);
      }
      if (request.appliedNotification !== undefined) {
        await client.query(
          numbered(sql.INSERT_NOTIFICATION),
          notificationValues({ ...request.appliedNotification, outcome: 'applied' }),
        );
      }
      return true;
    });
  }

  async setPaymentDetails(
    orderId: string,
    details: { paymentId: string; paymentUrl: string | null },
    at: number,
  ): Promise<boolean> {
    const result = await this.pool.query(numbered(sql.SET_PAYMENT_DETAILS), [
      details.paymentId,
      details.paymentUrl,
      at,
      orderId,
      details.paymentId,
    ]);
    return result.rowCount === 1;
  }

  async claimInquiry(orderId: string, claim: InquiryClaim): Promise<InquiryClaimResult> {
    // A concurrent claim waits for this row's lock, then re-checks the condition on the updated row and fails.
    const limited = claim.notAskedSince !== undefined;
    const result = await this.pool.query<OrderWithLines>(
      `${numbered(sql.CLAIM_INQUIRY + (limited ? sql.INQUIRY_RATE_LIMIT : ''))} RETURNING ${ORDER_COLUMNS}`,
      [claim.at, claim.leaseUntil, claim.holder, orderId, claim.at, ...(limited ? [claim.notAskedSince] : [])],
    );
    const row = result.rows[0];
    if (row !== undefined) return { claimed: true, order: toOrder(row) };
    return { claimed: false, order: await this.getOrder(orderId) };
  }

  async claimStaleInquiry(
    staleBefore: number,
    claim: InquiryClaim & { notAskedSince: number },
  ): Promise<OrderRecord | undefined> {
    const result = await this.pool.query<OrderWithLines>(
      `${numbered(sql.STALE_INQUIRY_SET)}
       WHERE id = (${numbered(sql.STALE_INQUIRY_CANDIDATES, 4)} FOR UPDATE SKIP LOCKED)
       RETURNING ${ORDER_COLUMNS}`,
      [claim.at, claim.leaseUntil, claim.holder, staleBefore, claim.at, claim.notAskedSince],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toOrder(row);
  }

  async releaseInquiry(orderId: string, holder: string): Promise<void> {
    await this.pool.query(numbered(sql.RELEASE_INQUIRY), [orderId, holder]);
  }

  async listCreatedExpired(now: number, limit: number): Promise<OrderRecord[]> {
    return this.ordersWhere(numbered(sql.CREATED_EXPIRED_WHERE), [now, limit]);
  }

  async listEvents(orderId?: string): Promise<OrderEventRecord[]> {
    const result =
      orderId === undefined
        ? await this.pool.query<EventRow>(sql.LIST_EVENTS)
        : await this.pool.query<EventRow>(numbered(sql.LIST_ORDER_EVENTS), [orderId]);
    return result.rows.map(toEventRecord);
  }

  async recordNotification(notification: NotificationRecord): Promise<void> {
    await this.pool.query(numbered(sql.INSERT_NOTIFICATION), notificationValues(notification));
  }

  async listOrders(query: OrderListQuery): Promise<OrderRecord[]> {
    const { where, parameters } = sql.orderListWhere(query);
    return this.ordersWhere(numbered(where), parameters);
  }

  async reserveRefund(refund: NewRefund): Promise<RefundReservation> {
    try {
      return await this.inTransaction(async (client): Promise<RefundReservation> => {
        const earlier = await client.query<RefundRow>(numbered(sql.SELECT_REFUND), [refund.refundRequestId]);
        if (earlier.rows[0] !== undefined) {
          const order = await this.orderWhereOn(client, refund.orderId);
          if (order === undefined) return { status: 'missing' };
          return { status: 'duplicate', refund: toRefundRecord(earlier.rows[0]), order };
        }
        // The conditional update waits for any other reservation of the same order, then re-checks its condition on
        // the row as that one left it (READ COMMITTED): of concurrent reservations, only those that fit succeed.
        const reserved = await client.query(numbered(sql.RESERVE_REFUND), [
          refund.amount,
          refund.at,
          refund.orderId,
          refund.amount,
        ]);
        const order = await this.orderWhereOn(client, refund.orderId);
        if (order === undefined) return { status: 'missing' };
        if (reserved.rowCount !== 1) return reservationRefused(order);
        const inserted = await client.query<RefundRow>(`${numbered(sql.INSERT_REFUND)} RETURNING *`, [
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
        ]);
        return { status: 'reserved', refund: toRefundRecord(inserted.rows[0] as RefundRow), order };
      });
    } catch (error) {
      // Two reservations with the same new refundRequestId at once: the second one's insert violates the key.
      if ((error as { code?: string }).code !== '23505') throw error;
      const earlier = await this.getRefund(refund.refundRequestId);
      const order = await this.getOrder(refund.orderId);
      if (earlier === undefined || order === undefined) throw error;
      return { status: 'duplicate', refund: earlier, order };
    }
  }

  async settleRefund(refundRequestId: string, settlement: RefundSettlement): Promise<boolean> {
    return this.inTransaction(async (client) => {
      const settled = await client.query<{ order_id: string; amount: number }>(numbered(sql.SETTLE_REFUND), [
        settlement.status,
        settlement.status === 'SUCCEEDED' ? settlement.refundId : null,
        settlement.status === 'FAILED' ? settlement.failCode : null,
        settlement.status === 'FAILED' ? settlement.failMessage : null,
        settlement.at,
        refundRequestId,
      ]);
      const row = settled.rows[0];
      if (row === undefined) return false;
      const adjusted = await client.query<{ status: string }>(
        `${numbered(settlement.status === 'SUCCEEDED' ? sql.ADD_REFUNDED : sql.RELEASE_REFUND)} RETURNING status`,
        [row.amount, settlement.at, row.order_id],
      );
      const status = adjusted.rows[0]?.status;
      await client.query(numbered(sql.INSERT_EVENT), [
        row.order_id,
        status,
        status,
        'refund',
        refundEventDetail(refundRequestId, row.amount, settlement),
        settlement.at,
      ]);
      if (settlement.status === 'SUCCEEDED') {
        await client.query(numbered(sql.INSERT_OUTBOX), [
          row.order_id,
          'order.refunded',
          refundRequestId,
          settlement.at,
          settlement.at,
        ]);
      }
      return true;
    });
  }

  async getRefund(refundRequestId: string): Promise<RefundRecord | undefined> {
    const result = await this.pool.query<RefundRow>(numbered(sql.SELECT_REFUND), [refundRequestId]);
    const row = result.rows[0];
    return row === undefined ? undefined : toRefundRecord(row);
  }

  async listRefunds(orderId: string): Promise<RefundRecord[]> {
    const result = await this.pool.query<RefundRow>(numbered(sql.LIST_ORDER_REFUNDS), [orderId]);
    return result.rows.map(toRefundRecord);
  }

  async claimPendingRefund(lastAttemptBefore: number, at: number): Promise<RefundRecord | undefined> {
    const result = await this.pool.query<RefundRow>(
      `${numbered(sql.PENDING_REFUND_SET)}
       WHERE refund_request_id = (${numbered(sql.PENDING_REFUND_CANDIDATES, 2)} FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [at, lastAttemptBefore],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toRefundRecord(row);
  }

  async recordLatePayment(orderId: string, at: number): Promise<boolean> {
    const result = await this.pool.query(numbered(sql.RECORD_LATE_PAYMENT), [at, orderId]);
    return result.rowCount === 1;
  }

  async claimOutbox(at: number, leaseUntil: number, holder: string): Promise<OutboxRecord | undefined> {
    const result = await this.pool.query<OutboxRow>(
      `${numbered(sql.CLAIM_OUTBOX_SET)} WHERE id = (${numbered(sql.DUE_OUTBOX, 3)} FOR UPDATE SKIP LOCKED) RETURNING *`,
      [leaseUntil, holder, at, at],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toOutboxRecord(row);
  }

  async finishOutbox(
    id: number,
    holder: string,
    result: { delivered: true; at: number } | { delivered: false; error: string; nextAttemptAt: number },
  ): Promise<void> {
    if (result.delivered) await this.pool.query(numbered(sql.DELIVERED_OUTBOX), [result.at, id, holder]);
    else await this.pool.query(numbered(sql.FAILED_OUTBOX), [result.nextAttemptAt, result.error, id, holder]);
  }

  async listOutbox(): Promise<OutboxRecord[]> {
    const result = await this.pool.query<OutboxRow>(sql.LIST_OUTBOX);
    return result.rows.map(toOutboxRecord);
  }

  async saveCustomerToken(token: CustomerTokenRecord): Promise<void> {
    await this.pool.query(numbered(sql.UPSERT_CUSTOMER), [
      token.customerId,
      token.accessToken,
      token.accessTokenExpiresAt,
      token.refreshToken,
      token.refreshTokenExpiresAt,
      token.at,
    ]);
  }

  async getCustomerToken(customerId: string): Promise<CustomerTokenRecord | undefined> {
    const result = await this.pool.query<CustomerRow>(numbered(sql.SELECT_CUSTOMER), [customerId]);
    const row = result.rows[0];
    return row === undefined ? undefined : toCustomerTokenRecord(row);
  }

  /** Drains the pool: waits for the connections in use to be given back, then closes them all. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }

  private async orderWhere(where: string, parameters: unknown[]): Promise<OrderRecord | undefined> {
    return (await this.ordersWhere(where, parameters))[0];
  }

  private async ordersWhere(where: string, parameters: unknown[]): Promise<OrderRecord[]> {
    const result = await this.pool.query<OrderWithLines>(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${where}`,
      parameters,
    );
    return result.rows.map(toOrder);
  }

  private async orderWhereOn(client: pg.PoolClient, id: string): Promise<OrderRecord | undefined> {
    const result = await client.query<OrderWithLines>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : toOrder(row);
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        // The connection itself failed: it goes, and the pool opens a fresh one.
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** Applies the pending migrations, each in its own transaction, holding the migration lock throughout. */
async function migrate(client: pg.Client, migrations: readonly Migration[]): Promise<number[]> {
  // No limit on a migration's statements (a role's default might have one); the wait for the lock is limited instead.
  await client.query('SET statement_timeout = 0');
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(SCHEMA_MIGRATIONS_TABLE);
    const current =
      (await client.query<{ version: number | null }>(sql.SELECT_MIGRATION_VERSION)).rows[0]?.version ?? 0;
    const known = latestVersion(migrations);
    if (current > known) throw new MerchantServerError(newerSchemaMessage(current, known), { code: 'STORAGE_ERROR' });
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      await client.query('BEGIN');
      try {
        for (const statement of statementsFor(migration, POSTGRES_DIALECT)) await client.query(statement);
        await client.query(numbered(sql.RECORD_MIGRATION), [migration.version, migration.name, Date.now()]);
        await client.query('COMMIT');
        done.push(migration.version);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
  }
}

/** Why a connection failed, in one line (a refused `localhost` is an AggregateError of each address tried). */
function connectionFailure(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map((each: Error) => each.message).join('; ');
  }
  const { message, code } = error as { message?: string; code?: string };
  return message || code || String(error);
}
