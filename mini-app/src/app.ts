import { MerchantApi } from './api/client';
import type { AppContext } from './app-context';
import { merchantUrl } from './config';
import { installDevWallet } from './dev-wallet/install';
import { localeFromLanguage, stringsFor } from './i18n/locale';

function systemLanguage(): string | undefined {
  try {
    return my.getSystemInfoSync().language;
  } catch {
    return undefined;
  }
}

App<AppContext>({
  onLaunch() {
    // Before anything calls my.tradePay or my.getAuthCode (a no-op in production builds).
    this.devWallet = installDevWallet(my);
    this.locale = localeFromLanguage(systemLanguage());
    this.strings = stringsFor(this.locale);
    this.confirmSchedule = undefined;
    this.api = new MerchantApi({ baseUrl: merchantUrl(), runtime: my });
    // The session on launch: my.getAuthCode → POST /api/session, token in storage. A failure here is
    // not shown: the first page that needs the session starts one again and shows what went wrong.
    this.session = this.api.ensureSession().catch(() => undefined);
  },
});
