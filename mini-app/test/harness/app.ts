/**
 * Launching the sample app under the harness against a running stack, and the steps a user takes.
 */
import { installSandbox, type Outcome, type SandboxMy } from '@minipay/wallet-sandbox/mini';
import { FakeMy, type FakeMyOptions } from './fake-my';
import { MiniProgramRuntime, type PageInstance } from './runtime';
import type { Stack } from './stack';

/** Short confirmPayment schedule for tests: about 6 s of checks in all. */
export const TEST_SCHEDULE = [0, 50, 100, 150, 200, 250, 300, 400, 500, 500, 750, 1000, 1000, 1000];

export interface LaunchOptions extends FakeMyOptions {
  /** The outcome the sandbox cashier gives (the shim's `choose`); no shim when omitted. */
  choose?: Outcome | ((paymentId: string) => Outcome | Promise<Outcome>);
  /** Overrides the confirm schedule. */
  schedule?: number[];
  /** Let the app install the shim itself (the development build's path) instead of the test. */
  appInstallsShim?: boolean;
}

export function launchApp(stack: Stack, options: LaunchOptions = {}): MiniProgramRuntime {
  const my = new FakeMy(options);
  const { choose } = options;
  if (choose !== undefined && !options.appInstallsShim) {
    installSandbox(my as unknown as SandboxMy, {
      baseUrl: stack.sandboxUrl,
      choose: typeof choose === 'function' ? choose : () => choose,
    });
  }
  const runtime = new MiniProgramRuntime({
    my,
    buildGlobals: {
      __MINIPAY_MERCHANT_URL__: stack.merchantUrl,
      __MINIPAY_SANDBOX_URL__: stack.sandboxUrl,
      __MINIPAY_SANDBOX__: !!options.appInstallsShim,
    },
  });
  runtime.launch();
  (runtime.app as Record<string, unknown>).confirmSchedule = options.schedule ?? TEST_SCHEDULE;
  return runtime;
}

/** Products page loaded. */
export function productsLoaded(runtime: MiniProgramRuntime): Promise<PageInstance> {
  return runtime.waitForPage('pages/products/index', (page) => !page.data.loading);
}

/** Picks quantities on the products page (by row index) and taps "Checkout"; resolves on the confirm page with its order. */
export async function checkout(
  runtime: MiniProgramRuntime,
  quantities: Record<number, number> = { 0: 2, 1: 1 },
): Promise<PageInstance> {
  const products = await productsLoaded(runtime);
  for (const [index, quantity] of Object.entries(quantities)) {
    const row = products.data.rows[Number(index)];
    runtime.tap('onQuantityChange', quantity, { currentTarget: { dataset: { id: row.id } } });
  }
  runtime.tap('onCheckout');
  return runtime.waitForPage('pages/confirm/index', (page) => !page.data.loading);
}

/** Taps "Pay" and resolves on the result page once it shows the server's answer. */
export async function payAndWaitForResult(runtime: MiniProgramRuntime): Promise<PageInstance> {
  runtime.tap('onPay');
  return runtime.waitForPage('pages/result/index', (page) => !page.data.loading && !page.data.checking);
}
