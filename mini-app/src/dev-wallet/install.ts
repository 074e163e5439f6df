import { DEFAULT_SANDBOX_URL } from '@minipay/contract';
import { installSandbox, type SandboxMy } from '@minipay/wallet-sandbox/mini';

/**
 * Development builds only. Installs the wallet sandbox's shim on `my` so `my.tradePay` and
 * `my.getAuthCode` complete in the IDE simulator against the local sandbox (an action sheet stands in
 * for the cashier). A production build replaces this module with `install.production.ts`, so none of
 * this, nor the sandbox URL, is in the output.
 */
declare const __MINIPAY_SANDBOX_URL__: string | undefined;
declare const __MINIPAY_SANDBOX__: boolean | undefined;

export function installDevWallet(runtime: typeof my): boolean {
  if (typeof __MINIPAY_SANDBOX__ === 'boolean' && !__MINIPAY_SANDBOX__) return false;
  const baseUrl =
    typeof __MINIPAY_SANDBOX_URL__ === 'string' && __MINIPAY_SANDBOX_URL__
      ? __MINIPAY_SANDBOX_URL__
      : DEFAULT_SANDBOX_URL;
  // The shim declares its callbacks' failure shapes more strictly than @mini-types/alipay declares
  // my.tradePay's, so the real `my` needs this cast; at run time it is exactly what the shim wraps.
  installSandbox(runtime as unknown as SandboxMy, { baseUrl });
  return true;
}
