// Where the local stack listens by default, and the one way a port is read from a variable or a flag: a whole
// number from 0 to 65535, where 0 means "any free port". The merchant server, the sandbox, the preview, `npm start`
// and the mini program's build all take their defaults from here. Separate constants (not one object), so that a
// bundle keeps only the ones it uses: the mini program's production build must not carry the sandbox's address.
import { ContractError } from './errors';

/** The interface the local stack listens on. */
export const DEFAULT_HOST = '127.0.0.1';

export const DEFAULT_MERCHANT_PORT = 8200;
export const DEFAULT_SANDBOX_PORT = 8210;
export const DEFAULT_PREVIEW_PORT = 8220;

/** `http://127.0.0.1:8200`: the merchant server the mini program calls. */
export const DEFAULT_MERCHANT_URL = `http://${DEFAULT_HOST}:${DEFAULT_MERCHANT_PORT}`;
/** `http://127.0.0.1:8210`: the wallet sandbox (its dashboard, its OpenAPI under `/api/open`). */
export const DEFAULT_SANDBOX_URL = `http://${DEFAULT_HOST}:${DEFAULT_SANDBOX_PORT}`;
/** `http://127.0.0.1:8220`: the mini program running in a browser. */
export const DEFAULT_PREVIEW_URL = `http://${DEFAULT_HOST}:${DEFAULT_PREVIEW_PORT}`;

/** The largest port number. */
export const MAX_PORT = 65535;

/**
 * A port from text (an environment variable, a command-line flag): a whole number from 0 to 65535, 0 meaning
 * any free port. `source` names where the text came from, for the message.
 * @throws ContractError `INVALID_PORT`: "MINIPAY_MERCHANT_PORT must be a port number from 0 to 65535 ...".
 */
export function parsePort(text: string, source: string): number {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (!/^\d{1,5}$/.test(trimmed) || Number(trimmed) > MAX_PORT) {
    throw new ContractError(
      `${source} must be a port number from 0 to ${MAX_PORT} (0 = any free port), got ${JSON.stringify(text)}`,
      { code: 'INVALID_PORT' },
    );
  }
  return Number(trimmed);
}
