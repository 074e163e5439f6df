// What every route needs, built once by `startMerchantServer`.
import type { Payments } from '../payments';
import type { Storage } from '../storage';
import type { WalletApi } from '../wallet-api';
import type { ResolvedConfig } from './resolved-config';

export interface AppContext {
  config: ResolvedConfig;
  storage: Storage;
  wallet: WalletApi;
  payments: Payments;
  /** Epoch milliseconds. */
  clock: () => number;
  /** The path the wallet signs notifications over: the path of `paymentNotifyUrl`. */
  notifyPath: () => string;
}
