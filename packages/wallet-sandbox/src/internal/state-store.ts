// The sandbox's state in SQLite (a file in the dev home, or `:memory:` for `--in-memory`): payments with their
// refunds and notification attempts, auth codes, tokens and fault sets. The books keep their maps as the working set
// and write each change through here, synchronously and in one transaction, before the answer that reports it is
// sent: a `kill -9` right after an answer loses nothing it said. On start the books are filled from here.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SandboxError } from '../errors';
import type { Faults } from '../faults';
import type { NotificationAttempt, Payment, RefundRecord } from './payments';

/** The schema's version (`PRAGMA user_version`); a file from a newer sandbox is refused rather than misread. */
const SCHEMA_VERSION = 1;

/** The key of the global fault set in `fault_sets` (payment ids start with `SBXPAY`). */
export const GLOBAL_FAULTS = '*';

const SCHEMA = `
CREATE TABLE payments (
  payment_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  payment_request_id TEXT NOT NULL,
  request TEXT NOT NULL,
  hash TEXT NOT NULL,
  pay_response TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  result_code TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  payment_time TEXT,
  finished_at TEXT,
  final_result TEXT,
  notification_state TEXT NOT NULL,
  notification_rounds INTEGER NOT NULL,
  next_attempt_at TEXT,
  UNIQUE (client_id, payment_request_id)
);
CREATE TABLE refunds (
  refund_id TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL REFERENCES payments (payment_id),
  position INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE notification_attempts (
  payment_id TEXT NOT NULL REFERENCES payments (payment_id),
  position INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (payment_id, position)
);
CREATE TABLE auth_codes (
  auth_code TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used INTEGER NOT NULL
);
CREATE TABLE tokens (
  refresh_token TEXT PRIMARY KEY,
  access_token TEXT NOT NULL,
  access_token_expires_at INTEGER NOT NULL,
  refresh_token_expires_at INTEGER NOT NULL,
  customer_id TEXT NOT NULL,
  used INTEGER NOT NULL
);
CREATE TABLE fault_sets (
  owner TEXT PRIMARY KEY,
  faults TEXT NOT NULL
);
`;

export interface StoredAuthCode {
  authCode: string;
  customerId: string;
  expiresAt: number;
  used: boolean;
}

export interface StoredToken {
  refreshToken: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshTokenExpiresAt: number;
  customerId: string;
  used: boolean;
}

interface PaymentRow {
  payment_id: string;
  client_id: string;
  payment_request_id: string;
  request: string;
  hash: string;
  pay_response: string;
  status: string;
  outcome: string | null;
  result_code: string | null;
  created_at: string;
  expires_at: string;
  payment_time: string | null;
  finished_at: string | null;
  final_result: string | null;
  notification_state: string;
  notification_rounds: number;
  next_attempt_at: string | null;
}

export class StateStore {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    /** The file, or undefined in memory. */
    readonly file: string | undefined,
  ) {}

  /**
   * Opens (creating if needed) the state file, or an in-memory database when `file` is undefined. The file is
   * locked for this process: a second sandbox on the same file is refused with a message naming it.
   */
  static open(file: string | undefined): StateStore {
    const where = file ?? ':memory:';
    let db: Database.Database | undefined;
    try {
      if (file !== undefined) mkdirSync(dirname(file), { recursive: true });
      // No busy wait: the only other holder of the file is another sandbox, which holds it until it stops.
      db = new Database(where, { timeout: 0 });
      if (file !== undefined) {
        // One sandbox per file: the maps are the working set, so two processes on one file would overwrite each
        // other. WAL keeps a committed transaction when the process is killed. NORMAL, not FULL: no fsync per
        // change, which held the event loop for the disk's flush; a power cut may lose the last changes, which a
        // development wallet can afford (the merchant's own storage keeps every commit through a power cut).
        db.pragma('locking_mode = EXCLUSIVE');
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('foreign_keys = ON');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(
          `it was written by a newer sandbox (schema ${version}, this one knows ${SCHEMA_VERSION}); delete it or use --in-memory`,
        );
      }
      if (version === 0) {
        db.transaction(() => {
          db!.exec(SCHEMA);
          db!.pragma(`user_version = ${SCHEMA_VERSION}`);
        }).immediate();
      }
      return new StateStore(db, file);
    } catch (error) {
      db?.close();
      const message = (error as Error).message;
      const locked = /database is locked/i.test(message);
      throw new SandboxError(
        locked
          ? `the sandbox state ${where} is in use by another sandbox; stop it, or start this one with another --home or --in-memory`
          : `cannot open the sandbox state ${where}: ${message}`,
        { code: 'STATE_ERROR', cause: error },
      );
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Writes the payment as it is now: its row, and the refunds and attempts not written yet (they only grow). */
  savePayment(payment: Payment): void {
    this.transaction(() => {
      this.stmt(
        `INSERT INTO payments (payment_id, client_id, payment_request_id, request, hash, pay_response, status, outcome,
             result_code, created_at, expires_at, payment_time, finished_at, final_result, notification_state,
             notification_rounds, next_attempt_at)
           VALUES (@payment_id, @client_id, @payment_request_id, @request, @hash, @pay_response, @status, @outcome,
             @result_code, @created_at, @expires_at, @payment_time, @finished_at, @final_result, @notification_state,
             @notification_rounds, @next_attempt_at)
           ON CONFLICT (payment_id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome,
             result_code = excluded.result_code, payment_time = excluded.payment_time,
             finished_at = excluded.finished_at, final_result = excluded.final_result,
             notification_state = excluded.notification_state, notification_rounds = excluded.notification_rounds,
             next_attempt_at = excluded.next_attempt_at`,
      ).run(toRow(payment));
      const insertRefund = this.stmt(
        'INSERT OR IGNORE INTO refunds (refund_id, payment_id, position, record) VALUES (?, ?, ?, ?)',
      );
      payment.refunds.forEach((refund, position) =>
        insertRefund.run(refund.refundId, payment.paymentId, position, JSON.stringify(refund)),
      );
      const stored = this.stmt('SELECT count(*) AS n FROM notification_attempts WHERE payment_id = ?').get(
        payment.paymentId,
      ) as { n: number };
      const insertAttempt = this.stmt(
        'INSERT INTO notification_attempts (payment_id, position, record) VALUES (?, ?, ?)',
      );
      const attempts = payment.notification.attempts;
      for (let position = stored.n; position < attempts.length; position += 1)
        insertAttempt.run(payment.paymentId, position, JSON.stringify(attempts[position]));
    });
  }

  /** Every payment, oldest first, with its refunds, attempts and own faults. */
  loadPayments(): Payment[] {
    const rows = this.stmt('SELECT * FROM payments ORDER BY rowid').all() as PaymentRow[];
    const refunds = this.stmt('SELECT record FROM refunds WHERE payment_id = ? ORDER BY position');
    const attempts = this.stmt('SELECT record FROM notification_attempts WHERE payment_id = ? ORDER BY position');
    const faults = this.loadFaults();
    return rows.map((row) => {
      const payment = fromRow(row);
      payment.refunds = (refunds.all(row.payment_id) as Array<{ record: string }>).map(
        (refund) => JSON.parse(refund.record) as RefundRecord,
      );
      payment.notification.attempts = (attempts.all(row.payment_id) as Array<{ record: string }>).map(
        (attempt) => JSON.parse(attempt.record) as NotificationAttempt,
      );
      const own = faults.get(row.payment_id);
      if (own) payment.faults = own;
      return payment;
    });
  }

  /**
   * Stores a fault set as one JSON value (a fault added later is kept without a schema change), or removes it when
   * `faults` is undefined. `owner` is a payment id or `GLOBAL_FAULTS`.
   */
  saveFaults(owner: string, faults: Faults | undefined): void {
    this.transaction(() => {
      if (faults === undefined) this.stmt('DELETE FROM fault_sets WHERE owner = ?').run(owner);
      else
        this.stmt(
          'INSERT INTO fault_sets (owner, faults) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET faults = excluded.faults',
        ).run(owner, JSON.stringify(faults));
    });
  }

  /** Removes every fault set, the global one included (the dashboard's "clear all"). */
  clearFaults(): void {
    this.transaction(() => this.stmt('DELETE FROM fault_sets').run());
  }

  /** Every fault set by owner, each exactly as it was stored. */
  loadFaults(): Map<string, Faults> {
    const rows = this.stmt('SELECT owner, faults FROM fault_sets').all() as Array<{
      owner: string;
      faults: string;
    }>;
    return new Map(rows.map((row) => [row.owner, JSON.parse(row.faults) as Faults]));
  }

  saveAuthCode(code: StoredAuthCode): void {
    this.transaction(() =>
      this.stmt(
        `INSERT INTO auth_codes (auth_code, customer_id, expires_at, used) VALUES (?, ?, ?, ?)
           ON CONFLICT (auth_code) DO UPDATE SET used = excluded.used`,
      ).run(code.authCode, code.customerId, code.expiresAt, code.used ? 1 : 0),
    );
  }

  loadAuthCodes(): StoredAuthCode[] {
    const rows = this.stmt('SELECT * FROM auth_codes ORDER BY rowid').all() as Array<{
      auth_code: string;
      customer_id: string;
      expires_at: number;
      used: number;
    }>;
    return rows.map((row) => ({
      authCode: row.auth_code,
      customerId: row.customer_id,
      expiresAt: row.expires_at,
      used: row.used === 1,
    }));
  }

  saveToken(token: StoredToken): void {
    this.transaction(() =>
      this.stmt(
        `INSERT INTO tokens (refresh_token, access_token, access_token_expires_at, refresh_token_expires_at,
             customer_id, used) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (refresh_token) DO UPDATE SET used = excluded.used`,
      ).run(
        token.refreshToken,
        token.accessToken,
        token.accessTokenExpiresAt,
        token.refreshTokenExpiresAt,
        token.customerId,
        token.used ? 1 : 0,
      ),
    );
  }

  loadTokens(): StoredToken[] {
    const rows = this.stmt('SELECT * FROM tokens ORDER BY rowid').all() as Array<{
      refresh_token: string;
      access_token: string;
      access_token_expires_at: number;
      refresh_token_expires_at: number;
      customer_id: string;
      used: number;
    }>;
    return rows.map((row) => ({
      refreshToken: row.refresh_token,
      accessToken: row.access_token,
      accessTokenExpiresAt: row.access_token_expires_at,
      refreshTokenExpiresAt: row.refresh_token_expires_at,
      customerId: row.customer_id,
      used: row.used === 1,
    }));
  }

  /** Statements are prepared once and reused (preparing is most of a small write's cost). */
  private stmt(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private transaction(write: () => void): void {
    this.db.transaction(write).immediate();
  }
}

function toRow(payment: Payment): PaymentRow {
  const time = (date: Date | undefined) => (date === undefined ? null : date.toISOString());
  return {
    payment_id: payment.paymentId,
    client_id: payment.clientId,
    payment_request_id: payment.paymentRequestId,
    request: JSON.stringify(payment.request),
    hash: payment.hash,
    pay_response: JSON.stringify(payment.payResponse),
    status: payment.status,
    outcome: payment.outcome ?? null,
    result_code: payment.resultCode ?? null,
    created_at: payment.createdAt.toISOString(),
    expires_at: payment.expiresAt.toISOString(),
    payment_time: time(payment.paymentTime),
    finished_at: time(payment.finishedAt),
    final_result: payment.finalResult === undefined ? null : JSON.stringify(payment.finalResult),
    notification_state: payment.notification.state,
    notification_rounds: payment.notification.rounds,
    next_attempt_at: payment.notification.nextAttemptAt ?? null,
  };
}

function fromRow(row: PaymentRow): Payment {
  return {
    paymentId: row.payment_id,
    paymentRequestId: row.payment_request_id,
    clientId: row.client_id,
    request: JSON.parse(row.request) as Payment['request'],
    hash: row.hash,
    payResponse: JSON.parse(row.pay_response) as Payment['payResponse'],
    status: row.status as Payment['status'],
    ...(row.outcome === null ? {} : { outcome: row.outcome as NonNullable<Payment['outcome']> }),
    ...(row.result_code === null ? {} : { resultCode: row.result_code }),
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    ...(row.payment_time === null ? {} : { paymentTime: new Date(row.payment_time) }),
    ...(row.finished_at === null ? {} : { finishedAt: new Date(row.finished_at) }),
    ...(row.final_result === null ? {} : { finalResult: JSON.parse(row.final_result) as Payment['finalResult'] }),
    refunds: [],
    notification: {
      state: row.notification_state as Payment['notification']['state'],
      attempts: [],
      rounds: row.notification_rounds,
      ...(row.next_attempt_at === null ? {} : { nextAttemptAt: row.next_attempt_at }),
    },
  };
}
