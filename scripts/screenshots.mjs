// `npm run screenshots`: the README's pictures of the sample, taken from the preview, never drawn by hand.
// Starts its own stack (wallet sandbox and merchant server on free ports, a temporary dev home), builds the
// production mini program into a temporary folder (so "Pay" opens the sandbox cashier in the tradePay
// sheet), walks products → confirm → cashier → result → My orders in headless Chromium and writes docs/screenshots/*.png.
//
//   npm run screenshots [-- --out <dir>] [-- --width 375]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildStale, repoRoot } from './lib/stack.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' }, width: { type: 'string', default: '375' } } });
const out = resolve(values.out ?? join(repoRoot, 'docs', 'screenshots'));
const width = Number(values.width);

buildStale();
buildStale(['preview', 'testing']);
const load = (path) => import(pathToFileURL(join(repoRoot, path)).href);
const { startSandbox } = await load('packages/wallet-sandbox/dist/index.mjs');
const { startMerchantServer } = await load('packages/merchant-server/dist/index.mjs');
const { startPreview } = await load('packages/preview/dist/index.mjs');
const { launchChromium } = await load('packages/testing/dist/index.mjs');

const home = mkdtempSync(join(tmpdir(), 'minipay-screenshots-'));
const closers = [];
try {
  const sandbox = await startSandbox({ home, port: 0, log: () => {} });
  closers.push(() => sandbox.close());
  const merchant = await startMerchantServer({ home, port: 0, walletUrl: sandbox.url, log: false });
  closers.push(() => merchant.close());
  const dist = join(home, 'dist');
  execFileSync(
    process.execPath,
    // A production build against this local stack: the flag lets it call a merchant server on 127.0.0.1.
    [
      join(repoRoot, 'mini-app', 'scripts', 'build.mjs'),
      '--production',
      '--insecure-merchant-url-for-testing',
      '--out-dir',
      dist,
    ],
    {
      env: { ...process.env, MINIPAY_MERCHANT_URL: merchant.url, MINIPAY_SANDBOX_URL: sandbox.url },
      stdio: 'ignore',
    },
  );
  const preview = await startPreview({ dir: dist, port: 0, width, sandboxUrl: sandbox.url, watch: false });
  closers.push(() => preview.close());
  const browser = await launchChromium();
  closers.push(() => browser.close());
  // The frame and its shadow, nothing else of the page.
  const page = await browser.newPage({
    viewport: { width: width + 48, height: Math.round((width * 812) / 375) + 48 },
    deviceScaleFactor: 2,
  });
  await page.goto(preview.url);
  mkdirSync(out, { recursive: true });
  const shot = async (name) => {
    await page.waitForTimeout(400); // let the button hover and the sheet's layout settle
    const file = join(out, `${name}.png`);
    await page.locator('.preview-device').screenshot({ path: file });
    console.log(`  ${relative(process.cwd(), file)}`);
  };
  const frame = (route) => page.frameLocator(`iframe[data-route="${route}"]`);

  const products = frame('pages/products/index');
  await products.locator('.product-name').first().waitFor();
  const up = (row) => products.locator('.quantity-stepper').nth(row).locator('.ant-stepper-button-up');
  await up(0).click();
  await up(0).click();
  await up(1).click();
  await products.locator('.cart-total').filter({ hasText: /\d/ }).waitFor();
  console.log(`screenshots of the sample mini program, ${width}px wide:`);
  await shot('products');

  await products.locator('.checkout').click();
  const confirm = frame('pages/confirm/index');
  await confirm.locator('.order-total').waitFor();
  await shot('confirm');

  await confirm.locator('.pay').click();
  const cashier = page.frameLocator('.preview-cashier-frame');
  await cashier.locator('button[data-outcome="pay"]').waitFor();
  await shot('cashier');

  await cashier.locator('button[data-outcome="pay"]').click();
  const result = frame('pages/result/index');
  await result.locator('.ant-result-title').waitFor({ timeout: 20_000 });
  await shot('result');

  await result.locator('.my-orders').click();
  await frame('pages/orders/index').locator('.order-row').first().waitFor();
  await shot('orders');
} catch (error) {
  console.error(`npm run screenshots failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}
