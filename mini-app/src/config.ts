/**
 * Build-time settings. `scripts/build.mjs` replaces these identifiers with literals
 * (`MINIPAY_MERCHANT_URL`, default below); where nothing replaced them (the tests, which run the
 * sources), a global of the same name is read instead, and then the default.
 */
import { DEFAULT_MERCHANT_URL } from '@minipay/contract';

declare const __MINIPAY_MERCHANT_URL__: string | undefined;

/** The merchant server the mini program talks to. On a real wallet: HTTPS, and on the domain whitelist. */
export function merchantUrl(): string {
  return typeof __MINIPAY_MERCHANT_URL__ === 'string' && __MINIPAY_MERCHANT_URL__
    ? __MINIPAY_MERCHANT_URL__
    : DEFAULT_MERCHANT_URL;
}
