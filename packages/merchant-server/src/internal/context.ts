// What every route needs, built once by `startMerchantServer`.
import type { Canceller } from '../cancels';
import type { Catalog } from '../catalog';
import type { Inquirer } from '../inquirer';
import type { NotificationHandler } from '../notification-handler';
import type { PaymentStarter } from '../payment-start';
import type { Refunder } from '../refunds';
import type { Storage } from '../storage';
import type { WalletApi } from '../wallet-api';
import type { ResolvedConfig } from './resolve-config';

export interface AppContext {
  config: ResolvedConfig;
  /** What the shop sells: the merchant's file (`MINIPAY_CATALOG`) or the demo catalog. */
  catalog: Catalog;
  storage: Storage;
  wallet: WalletApi;
  /** Starts and resumes payments (`POST /api/orders/:id/payment`). */
  payments: PaymentStarter;
  /** Applies verified notifications (`POST /notify/payment`). */
  notifications: NotificationHandler;
  /** Refreshes a stale order by asking the wallet (`GET /api/orders/:id`, the reconciler). */
  inquirer: Inquirer;
  /** Refunds (`/admin/orders/:id/refunds`, the automatic refund of a late payment, the reconciler's retries). */
  refunder: Refunder;
  /** Cancels unpaid orders (`/admin/orders/:id/cancel`, expired PAYING orders). */
  canceller: Canceller;
  /** Epoch milliseconds. */
  clock: () => number;
  /** The path the wallet signs notifications over: the path of `paymentNotifyUrl`. */
  notifyPath: () => string;
}
