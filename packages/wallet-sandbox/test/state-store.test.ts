// The state store on a real SQLite file: every record kind written, the file closed, opened again and read back as
// it was written; a fault set keeps a field this sandbox does not know; a file from a newer schema is refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { idempotencyHash, type Payment } from '../src/internal/payments';
import { GLOBAL_FAULTS, StateStore, type StoredAuthCode, type StoredToken } from '../src/internal/state-store';
import { payRequest } from './helpers';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minipay-sandbox-store-'));
  file = join(dir, 'nested', 'sandbox.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function payment(): Payment {
  const request = payRequest({ notifyUrl: 'http://127.0.0.1:9/notify', extendInfo: '{"k":"v"}' });
  return {
    paymentId: 'SBXPAY20261201000001ABCDEF',
    paymentRequestId: request.paymentRequestId,
    clientId: 'CLIENT',
    request,
    hash: idempotencyHash(request),
    payResponse: {
      result: { resultStatus: 'A', resultCode: 'ACCEPT', resultMessage: 'accepted' },
      paymentId: 'SBXPAY20261201000001ABCDEF',
      redirectActionForm: { method: 'GET', redirectionUrl: 'http://127.0.0.1:8210/cashier/SBXPAY20261201000001ABCDEF' },
    },
    status: 'PROCESSING',
    createdAt: new Date('2026-12-01T10:00:00.123Z'),
    expiresAt: new Date('2026-12-01T10:15:00.123Z'),
    refunds: [],
    notification: { state: 'waiting', attempts: [], rounds: 0 },
  };
}

/** Writes with one store, closes it, and reads with a fresh one: nothing comes from memory. */
function reopen(write: (store: StateStore) => void): StateStore {
  const first = StateStore.open(file);
  write(first);
  first.close();
  return StateStore.open(file);
}

test('a payment with its outcome, refunds and notification attempts reads back as it was written', () => {
  const written = payment();
  const store = reopen((first) => {
    first.savePayment(written); // created
    Object.assign(written, {
      status: 'SUCCESS',
      outcome: 'pay',
      resultCode: '9000',
      paymentTime: new Date('2026-12-01T10:01:00.000Z'),
      finishedAt: new Date('2026-12-01T10:01:00.000Z'),
      finalResult: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
    });
    written.notification = {
      state: 'scheduled',
      rounds: 1,
      nextAttemptAt: '2026-12-01T10:01:05.000+00:00',
      attempts: [
        {
          attempt: 1,
          copy: 1,
          round: 1,
          at: '2026-12-01T10:01:00.000+00:00',
          outcome: 'rejected',
          httpStatus: 200,
          ack: { resultStatus: 'F', resultCode: 'INVALID_SIGNATURE', resultMessage: 'no' },
          detail: 'signature verified, but the answer is F INVALID_SIGNATURE',
          badSignature: true,
          durationMs: 7,
        },
      ],
    };
    first.savePayment(written);
    written.refunds.push(
      {
        refundId: 'SBXREF1',
        refundRequestId: 'r1',
        refundAmount: { currency: 'USD', value: '250' },
        refundTime: 't1',
        hash: 'h1',
      },
      {
        refundId: 'SBXREF2',
        refundRequestId: 'r2',
        refundAmount: { currency: 'USD', value: '100' },
        refundReason: 'broken cup',
        refundTime: 't2',
        hash: 'h2',
      },
    );
    written.notification.attempts.push({
      attempt: 2,
      copy: 1,
      round: 1,
      at: '2026-12-01T10:01:05.000+00:00',
      outcome: 'error',
      detail: 'no answer: connection refused',
    });
    written.notification.state = 'delivered';
    delete written.notification.nextAttemptAt;
    first.savePayment(written);
    first.savePayment(written); // a second write of the same state adds nothing
  });
  try {
    expect(store.loadPayments()).toEqual([written]);
  } finally {
    store.close();
  }
});

test('auth codes and tokens read back, used flags included', () => {
  const code: StoredAuthCode = { authCode: 'sbx_ac_1', customerId: 'alice', expiresAt: 1_800_000_000_000, used: false };
  const token: StoredToken = {
    refreshToken: 'sbx_rt_1',
    accessToken: 'sbx_at_1',
    accessTokenExpiresAt: 1_800_000_000_000,
    refreshTokenExpiresAt: 1_900_000_000_000,
    customerId: 'bob',
    used: false,
  };
  const store = reopen((first) => {
    first.saveAuthCode(code);
    first.saveAuthCode({ ...code, authCode: 'sbx_ac_2', used: true });
    first.saveToken(token);
    first.saveToken({ ...token, used: true }); // the refresh grant marks it used
  });
  try {
    expect(store.loadAuthCodes()).toEqual([code, { ...code, authCode: 'sbx_ac_2', used: true }]);
    expect(store.loadTokens()).toEqual([{ ...token, used: true }]);
  } finally {
    store.close();
  }
});

test('fault sets are kept whole, a field this sandbox does not know included; removing and clearing work', () => {
  const future = { dropFirst: 2, refundOutcome: 'U', nested: { afterSeconds: 3 } };
  const store = reopen((first) => {
    first.saveFaults(GLOBAL_FAULTS, { duplicate: 3, neverSend: false });
    first.saveFaults('SBXPAY1', future as never);
    first.saveFaults('SBXPAY2', { badSignature: true });
    first.saveFaults('SBXPAY2', undefined);
  });
  try {
    expect(Object.fromEntries(store.loadFaults())).toEqual({
      [GLOBAL_FAULTS]: { duplicate: 3, neverSend: false },
      SBXPAY1: future,
    });
    store.clearFaults();
    expect(store.loadFaults().size).toBe(0);
  } finally {
    store.close();
  }
});

test('a payment row reads back with its own fault set', () => {
  const written = payment();
  const store = reopen((first) => {
    first.savePayment(written);
    first.saveFaults(written.paymentId, { delaySeconds: 1.5 });
  });
  try {
    expect(store.loadPayments()[0]?.faults).toEqual({ delaySeconds: 1.5 });
  } finally {
    store.close();
  }
});

test('in memory there is no file, and nothing outlives the store', () => {
  const first = StateStore.open(undefined);
  expect(first.file).toBeUndefined();
  first.saveAuthCode({ authCode: 'a', customerId: 'c', expiresAt: 1, used: false });
  first.close();
  const second = StateStore.open(undefined);
  expect(second.loadAuthCodes()).toEqual([]);
  second.close();
});

test('a file from a newer schema, or one that is not a database, is refused with a message naming the file', () => {
  StateStore.open(file).close();
  const db = new Database(file);
  db.pragma('user_version = 99');
  db.close();
  expect(() => StateStore.open(file)).toThrow(
    expect.objectContaining({
      code: 'STATE_ERROR',
      message: expect.stringContaining(`${file}: it was written by a newer sandbox`),
    }),
  );
  const junk = join(dir, 'junk.db');
  writeFileSync(junk, 'not sqlite at all, but long enough to be read as a header '.repeat(10));
  expect(() => StateStore.open(junk)).toThrow(
    expect.objectContaining({ code: 'STATE_ERROR', message: expect.stringContaining(junk) }),
  );
});

test('a second store on the same file is refused while the first holds it, and allowed once it is closed', () => {
  const first = StateStore.open(file);
  expect(() => StateStore.open(file)).toThrow(/is in use by another sandbox/);
  first.close();
  StateStore.open(file).close();
});
