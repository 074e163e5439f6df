// The parts of the local stack, one entry each: what runs, which variable sets its port (and the contract's
// default), and the URL that answers once it is ready. `npm start` runs all three in this order, `npm run demo` the
// first two, `npm run preview` the last; a fourth part is one more entry here.
//
// `stack` is what the entries read: { host, home, urls: { wallet, merchant, preview }, publicUrls: { wallet },
// miniDir }. Every part listens on `stack.host` (127.0.0.1, or the LAN address of `npm start -- --lan`), so every
// URL below, and every URL the mini program is built with, uses that one address.

/** @typedef {{ host: string, home: string, urls: Record<string, string>, publicUrls: { wallet: string }, miniDir: string }} Stack */

export const PARTS = [
  {
    name: 'wallet',
    title: 'wallet sandbox',
    script: 'packages/wallet-sandbox/dist/cli.cjs',
    portVariable: 'MINIPAY_SANDBOX_PORT',
    defaultPort: 'DEFAULT_SANDBOX_PORT',
    readyPath: '/',
    // The cashier links of `pay` answers start with the public URL; the mini program's shim recognises only links
    // under the URL it was built with, so both are `publicUrls.wallet`.
    args: (/** @type {Stack} */ stack) => ['--home', stack.home, '--public-url', stack.publicUrls.wallet],
    env: () => ({}),
  },
  {
    name: 'merchant',
    title: 'merchant server',
    script: 'packages/merchant-server/dist/cli.cjs',
    portVariable: 'MINIPAY_MERCHANT_PORT',
    defaultPort: 'DEFAULT_MERCHANT_PORT',
    readyPath: '/api/products',
    args: (/** @type {Stack} */ stack) => ['--home', stack.home],
    env: (/** @type {Stack} */ stack) => ({ MINIPAY_WALLET_URL: stack.urls.wallet }),
  },
  {
    name: 'preview',
    title: 'mini program preview',
    script: 'packages/preview/dist/cli.cjs',
    portVariable: 'MINIPAY_PREVIEW_PORT',
    defaultPort: 'DEFAULT_PREVIEW_PORT',
    readyPath: '/',
    args: (/** @type {Stack} */ stack) => ['--dir', stack.miniDir, '--sandbox-url', stack.publicUrls.wallet],
    env: () => ({}),
  },
];

/** The entry of the part named `name`. */
export function part(name) {
  const found = PARTS.find((entry) => entry.name === name);
  if (!found) throw new Error(`no part named ${name}`);
  return found;
}
