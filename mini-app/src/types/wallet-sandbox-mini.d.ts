// TEMPORARY until packages/wallet-sandbox/src/mini lands: its contract (issue 4).
declare module '@minipay/wallet-sandbox/mini' {
  export function installSandbox(
    my: unknown,
    options: { baseUrl: string; choose?: (...args: any[]) => unknown },
  ): unknown;
}
