// Launching the local browser headless with the flags a closed network needs.
import type { Browser, LaunchOptions } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './chromium';

/**
 * Starts the browser `findChromium` finds, headless, with `CHROMIUM_ARGS` (and any `args` added), through
 * playwright-core. playwright-core is loaded here, not at import, so a package that only needs the finder
 * does not need it installed.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    ...options,
    executablePath: options.executablePath ?? findChromium(),
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
