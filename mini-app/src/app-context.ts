import type { MerchantApi } from './api/client';
import type { Locale } from './i18n/locale';
import type { Strings } from './i18n/strings';

/** What `App()` adds to the app instance, read by the pages through {@link appContext}. */
export interface AppContext {
  api: MerchantApi;
  locale: Locale;
  strings: Strings;
  /** Delays (ms) between order checks after the cashier closes; `undefined` = tradepay's default. */
  confirmSchedule: number[] | undefined;
  /** Whether the wallet sandbox's shim was installed at launch (development builds). */
  devWallet: boolean;
  /** The session started at launch; pages do not wait for it (authenticated calls start one if needed). */
  session: Promise<string | undefined>;
}

export function appContext(): AppContext {
  return getApp<AppContext>();
}
