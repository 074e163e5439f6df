// What every route needs, built once by `startMerchantServer`.
import type { Inquirer } from '../inquirer';
import type { NotificationHandler } from '../notification-handler';
import type { PaymentStarter } from '../payment-start';
import type { Storage } from '../storage';
import type { WalletApi } from '../wallet-api';
import type { ResolvedConfig } from './resolve-config';

export interface AppContext {
  config: ResolvedConfig;
  storage: Storage;
  wallet: WalletApi;
  /** Starts and resumes payments (`POST /api/orders/:id/payment`). */
  payments: PaymentStarter;
  /** Applies verified notifications (`POST /notify/payment`). */
  notifications: NotificationHandler;
  /** Refreshes a stale order by asking the wallet (`GET /api/orders/:id`, the reconciler). */
  inquirer: Inquirer;
  /** Epoch milliseconds. */
  clock: () => number;
  /** The path the wallet signs notifications over: the path of `paymentNotifyUrl`. */
  notifyPath: () => string;
}
