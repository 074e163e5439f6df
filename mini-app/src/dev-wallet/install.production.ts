/**
 * What `install.ts` becomes in a production build (`--production`): nothing is installed and the real
 * wallet's `my.tradePay` and `my.getAuthCode` are used as they are.
 */
export function installDevWallet(_runtime: typeof my): boolean {
  return false;
}
