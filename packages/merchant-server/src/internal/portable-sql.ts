// The statements both storages run as they are: standard SQL that SQLite and PostgreSQL read alike, written once with
// `?` placeholders (PostgreSQL's storage numbers them, `numbered`). What differs between the two (the status list of a
// transition, locking, reading an order with its lines) stays in each storage. No query builder: the differences are
// locking and transactions, which a builder would not hide, and the common part is this one file.

export const INSERT_ORDER = `INSERT INTO orders (id, customer_id, status, currency, amount, created_at, updated_at, expires_at)
  VALUES (?, ?, 'CREATED', ?, ?, ?, ?, ?)`;

/**
 * Takes an idempotency key for an order, unless the customer holds it already (then nothing changes: one row was
 * inserted, or none). Parameters: customer id, key, request hash, order id, at.
 */
export const INSERT_IDEMPOTENCY_KEY = `INSERT INTO order_idempotency_keys
    (customer_id, idempotency_key, request_hash, order_id, created_at)
  VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (customer_id, idempotency_key) DO NOTHING`;

export const SELECT_IDEMPOTENCY_KEY =
  'SELECT order_id, request_hash FROM order_idempotency_keys WHERE customer_id = ? AND idempotency_key = ?';

export const INSERT_LINE = `INSERT INTO order_lines (order_id, line_no, product_id, name, quantity, unit_price, line_total)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

export const SELECT_LINES =
  'SELECT product_id, name, quantity, unit_price, line_total FROM order_lines WHERE order_id = ? ORDER BY line_no';

/**
 * The columns a transition sets: the status, and the payment ids only where still NULL (an id, once stored, is never
 * replaced), the failure and `paying_since` when given. Parameters: to, at, paymentRequestId, paymentId, failCode,
 * failMessage, payingSince, then the order id and the statuses the condition allows.
 */
export const TRANSITION_SET = `UPDATE orders SET
    status = ?,
    updated_at = ?,
    payment_request_id = COALESCE(payment_request_id, ?),
    payment_id = COALESCE(payment_id, ?),
    fail_code = COALESCE(?, fail_code),
    fail_message = COALESCE(?, fail_message),
    paying_since = COALESCE(?, paying_since)`;

export const INSERT_EVENT =
  'INSERT INTO order_events (order_id, from_status, to_status, cause, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)';

/** Stores what `pay` answered, unless another payment id is already there. */
export const SET_PAYMENT_DETAILS = `UPDATE orders SET payment_id = ?, payment_url = COALESCE(?, payment_url), updated_at = ?
  WHERE id = ? AND (payment_id IS NULL OR payment_id = ?)`;

/**
 * The inquiry lease, granted by one conditional update: a PAYING order whose lease is free (never taken, or ended by
 * now). Parameters: at, leaseUntil, holder, order id, at; with `INQUIRY_RATE_LIMIT`, also notAskedSince.
 */
export const CLAIM_INQUIRY = `UPDATE orders SET last_inquiry_at = ?, inquiry_lease_until = ?, inquiry_holder = ?
  WHERE id = ? AND status = 'PAYING' AND (inquiry_lease_until IS NULL OR inquiry_lease_until <= ?)`;

/** The rate limit of a claim: nobody asked about the order after `notAskedSince`. */
export const INQUIRY_RATE_LIMIT = ' AND (last_inquiry_at IS NULL OR last_inquiry_at <= ?)';

/**
 * Which orders a stale claim may take (parameters: staleBefore, at, notAskedSince), and in what order: the least
 * recently asked first, so that orders the wallet keeps answering "unknown" about cannot starve the others.
 */
export const STALE_INQUIRY_CANDIDATES = `SELECT id FROM orders
  WHERE status = 'PAYING' AND paying_since < ?
    AND (inquiry_lease_until IS NULL OR inquiry_lease_until <= ?)
    AND (last_inquiry_at IS NULL OR last_inquiry_at <= ?)
  ORDER BY COALESCE(last_inquiry_at, 0), paying_since, id
  LIMIT 1`;

export const STALE_INQUIRY_SET = 'UPDATE orders SET last_inquiry_at = ?, inquiry_lease_until = ?, inquiry_holder = ?';

export const RELEASE_INQUIRY =
  'UPDATE orders SET inquiry_lease_until = NULL, inquiry_holder = NULL WHERE id = ? AND inquiry_holder = ?';

/** The condition and order of `listCreatedExpired` (parameters: now, limit), read by each storage with the lines. */
export const CREATED_EXPIRED_WHERE = `status = 'CREATED' AND expires_at < ? ORDER BY expires_at LIMIT ?`;

export const LIST_EVENTS = 'SELECT * FROM order_events ORDER BY id';
export const LIST_ORDER_EVENTS = 'SELECT * FROM order_events WHERE order_id = ? ORDER BY id';

export const INSERT_NOTIFICATION = `INSERT INTO notifications
    (order_id, payment_id, payment_request_id, result_status, result_code, outcome, body, received_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/** SQLite ≥ 3.24 and PostgreSQL share `ON CONFLICT ... DO UPDATE SET col = excluded.col`. */
export const UPSERT_CUSTOMER = `INSERT INTO customers
    (customer_id, access_token, access_token_expires_at, refresh_token, refresh_token_expires_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (customer_id) DO UPDATE SET
    access_token = excluded.access_token,
    access_token_expires_at = excluded.access_token_expires_at,
    refresh_token = excluded.refresh_token,
    refresh_token_expires_at = excluded.refresh_token_expires_at,
    updated_at = excluded.updated_at`;

export const SELECT_CUSTOMER = 'SELECT * FROM customers WHERE customer_id = ?';

export const SELECT_MIGRATION_VERSION = 'SELECT MAX(version) AS version FROM schema_migrations';
export const RECORD_MIGRATION = 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)';

/** `?` placeholders as PostgreSQL's `$1, $2, ...`, counted from `first`. (No statement here has a `?` in a literal.) */
export function numbered(sql: string, first = 1): string {
  let n = first - 1;
  return sql.replace(/\?/g, () => `$${++n}`);
}

// Refunds. A reservation is one conditional update of the order (money was received for it, and what is already
// reserved plus this refund is at most the amount), then the refund's row, in one transaction; concurrent
// reservations are serialised on the order's row, so together they never exceed the paid amount.

/** Parameters: amount, at, order id, amount. */
export const RESERVE_REFUND = `UPDATE orders SET refund_reserved = refund_reserved + ?, updated_at = ?
  WHERE id = ? AND (status = 'PAID' OR late_payment_at IS NOT NULL) AND refund_reserved + ? <= amount`;

export const INSERT_REFUND = `INSERT INTO refunds
    (refund_request_id, order_id, currency, amount, status, reason, initiator, payment_id, payment_request_id,
     created_at, updated_at, last_attempt_at, attempts)
  VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, 1)`;

export const SELECT_REFUND = 'SELECT * FROM refunds WHERE refund_request_id = ?';
export const LIST_ORDER_REFUNDS = 'SELECT * FROM refunds WHERE order_id = ? ORDER BY created_at, refund_request_id';

/** A PENDING refund's final answer (parameters: status, refundId, failCode, failMessage, at, refundRequestId). */
export const SETTLE_REFUND = `UPDATE refunds SET status = ?, refund_id = COALESCE(?, refund_id), fail_code = ?,
    fail_message = ?, updated_at = ?
  WHERE refund_request_id = ? AND status = 'PENDING'
  RETURNING order_id, amount`;

/** A confirmed refund (parameters: amount, at, order id). */
export const ADD_REFUNDED = 'UPDATE orders SET refunded_amount = refunded_amount + ?, updated_at = ? WHERE id = ?';

/** A refused refund frees its reservation (parameters: amount, at, order id). */
export const RELEASE_REFUND = 'UPDATE orders SET refund_reserved = refund_reserved - ?, updated_at = ? WHERE id = ?';

/** Which PENDING refund a retry takes (parameter: lastAttemptBefore): the least recently tried first. */
export const PENDING_REFUND_CANDIDATES = `SELECT refund_request_id FROM refunds
  WHERE status = 'PENDING' AND last_attempt_at <= ?
  ORDER BY last_attempt_at, created_at, refund_request_id
  LIMIT 1`;

/** Parameters: at. */
export const PENDING_REFUND_SET = 'UPDATE refunds SET last_attempt_at = ?, attempts = attempts + 1';

/** Parameters: at, order id. Only a closed order (the money came after it was closed); the first report is kept. */
export const RECORD_LATE_PAYMENT = `UPDATE orders SET late_payment_at = COALESCE(late_payment_at, ?)
  WHERE id = ? AND status IN ('FAILED', 'CANCELLED', 'EXPIRED')`;

/** Which orders a listing shows, newest first: the conditions and their parameters, with `?` placeholders. */
export interface OrderListQuery {
  customerId?: string;
  statuses?: readonly string[];
  /** Created at or after (epoch ms). */
  createdFrom?: number;
  /** Created before (epoch ms). */
  createdBefore?: number;
  /** The cursor: only orders older than this one (by created_at, then id). */
  after?: { createdAt: number; id: string };
  limit: number;
}

/** The WHERE (and ORDER/LIMIT) of an order listing; both storages run it as `SELECT ... FROM orders WHERE <this>`. */
export function orderListWhere(query: OrderListQuery): { where: string; parameters: unknown[] } {
  const conditions: string[] = ['1 = 1'];
  const parameters: unknown[] = [];
  if (query.customerId !== undefined) {
    conditions.push('customer_id = ?');
    parameters.push(query.customerId);
  }
  if (query.statuses !== undefined && query.statuses.length > 0) {
    conditions.push(`status IN (${query.statuses.map(() => '?').join(', ')})`);
    parameters.push(...query.statuses);
  }
  if (query.createdFrom !== undefined) {
    conditions.push('created_at >= ?');
    parameters.push(query.createdFrom);
  }
  if (query.createdBefore !== undefined) {
    conditions.push('created_at < ?');
    parameters.push(query.createdBefore);
  }
  if (query.after !== undefined) {
    conditions.push('(created_at < ? OR (created_at = ? AND id < ?))');
    parameters.push(query.after.createdAt, query.after.createdAt, query.after.id);
  }
  parameters.push(query.limit);
  return { where: `${conditions.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`, parameters };
}

// The fulfilment outbox (see fulfilment.ts).

/** Parameters: order id, event, refundRequestId, at, at. */
export const INSERT_OUTBOX = `INSERT INTO outbox (order_id, event, refund_request_id, created_at, next_attempt_at)
  VALUES (?, ?, ?, ?, ?)`;

/** The event a claim takes (parameters: at, at): due, not delivered, its lease free; the oldest first. */
export const DUE_OUTBOX = `SELECT id FROM outbox
  WHERE delivered_at IS NULL AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
  ORDER BY next_attempt_at, id
  LIMIT 1`;

/** Parameters: leaseUntil, holder. */
export const CLAIM_OUTBOX_SET = 'UPDATE outbox SET lease_until = ?, holder = ?, attempts = attempts + 1';

/** Parameters: at, id, holder. Only by the holder of the lease, once. */
export const DELIVERED_OUTBOX = `UPDATE outbox SET delivered_at = ?, lease_until = NULL, holder = NULL, last_error = NULL
  WHERE id = ? AND holder = ? AND delivered_at IS NULL`;

/** Parameters: nextAttemptAt, error, id, holder. */
export const FAILED_OUTBOX = `UPDATE outbox SET next_attempt_at = ?, last_error = ?, lease_until = NULL, holder = NULL
  WHERE id = ? AND holder = ? AND delivered_at IS NULL`;

export const LIST_OUTBOX = 'SELECT * FROM outbox ORDER BY id';
