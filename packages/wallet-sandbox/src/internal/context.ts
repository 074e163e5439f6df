// What the route modules share: the dev home's keys, the clock, the books and the notifier.
import type { Faults } from '../faults';
import type { AuthorizationBook } from './authorizations';
import type { Notifier } from './notifier';
import type { Payment, PaymentBook } from './payments';
import type { RequestLog } from './request-log';
import type { StateStore } from './state-store';

export interface SandboxContext {
  clientId: string;
  home: string;
  merchantPublicKey: string;
  walletPrivateKey: string;
  /** Known to the signature doctor, which names it when a merchant signs with the wallet's key by mistake. */
  walletPublicKey: string;
  /** The version of the wallet key pair, named in every signature (`keyVersion`). */
  walletKeyVersion: string;
  pathPrefix: string;
  retrySchedule: readonly number[];
  now: () => Date;
  formatTime: (date: Date) => string;
  log: (line: string) => void;
  /** The base URL pages and cashier links use (set once the server listens). */
  publicUrl: () => string;
  payments: PaymentBook;
  authorizations: AuthorizationBook;
  notifier: Notifier;
  faults: { global: Faults };
  cashierUrl: (paymentId: string) => string;
  faultsFor: (payment: Payment) => Faults;
  /** Every OpenAPI call, newest first, bounded. */
  requestLog: RequestLog;
  /** Where the state is kept (its `file` is undefined in memory). */
  store: StateStore;
}
