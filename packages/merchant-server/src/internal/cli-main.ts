// The `minipay-merchant` command as a function of its inputs, so it is tested without spawning a process:
// arguments and environment in, lines out, and a promise that says when to stop (SIGINT/SIGTERM in the bin).
import { parseArgs } from 'node:util';
import { DEFAULT_HOST, DEFAULT_MERCHANT_PORT } from '@minipay/contract';
import { loadConfig } from '../config';
import { MerchantServerError } from '../errors';
import { startMerchantServer, type RunningMerchantServer } from '../server';

export const USAGE = `Usage: minipay-merchant [--port <n>] [--host <addr>] [--home <dir>]

Runs the minipay reference merchant server. Settings come from MINIPAY_* environment
variables (see the README); flags override them:
  --port <n>      port to listen on (MINIPAY_MERCHANT_PORT, default ${DEFAULT_MERCHANT_PORT}; 0 = any free port)
  --host <addr>   interface to listen on (MINIPAY_MERCHANT_HOST, default ${DEFAULT_HOST})
  --home <dir>    keys, config.json and merchant.db (MINIPAY_HOME, default .minipay/ at the repo root)
  --help          this text
Logs: one readable line per request in development; JSON lines with MINIPAY_ENV=production or
MINIPAY_LOG_FORMAT=json (MINIPAY_LOG_FORMAT=lines asks for the readable ones anywhere).`;

/** The variable that picks the command's log format: `json` or `lines`. */
export const LOG_FORMAT_VARIABLE = 'MINIPAY_LOG_FORMAT';

export interface CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves with the signal's name when the server should stop. */
  stopSignal: () => Promise<string>;
  /** Called once the server listens (tests use it to reach the server). */
  onListening?: (server: RunningMerchantServer) => void;
}

/**
 * The command's log format: what `MINIPAY_LOG_FORMAT` says, else JSON lines in production (for log collectors) and
 * readable lines elsewhere (a developer's terminal, next to the sandbox's one-liners in `npm start`).
 * @throws MerchantServerError CONFIG_INVALID for another value.
 */
function logFormat(env: Record<string, string | undefined>): 'json' | 'lines' {
  const named = env[LOG_FORMAT_VARIABLE]?.trim();
  if (named === 'json' || named === 'lines') return named;
  if (named) {
    throw new MerchantServerError(`${LOG_FORMAT_VARIABLE} must be json or lines; got ${JSON.stringify(named)}`, {
      code: 'CONFIG_INVALID',
    });
  }
  return env.MINIPAY_ENV?.trim() === 'production' ? 'json' : 'lines';
}

/** Runs the command; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        home: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`minipay-merchant: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const env: Record<string, string | undefined> = { ...io.env };
  if (values.port !== undefined) env.MINIPAY_MERCHANT_PORT = values.port;
  if (values.host !== undefined) env.MINIPAY_MERCHANT_HOST = values.host;
  if (values.home !== undefined) env.MINIPAY_HOME = values.home;

  let server: RunningMerchantServer;
  try {
    const options = loadConfig(env, { cwd: io.cwd });
    const format = logFormat(env);
    if (options.log !== false) options.log = { ...(typeof options.log === 'object' ? options.log : {}), format };
    server = await startMerchantServer(options);
  } catch (error) {
    if (error instanceof MerchantServerError) {
      const message =
        values.port !== undefined
          ? error.message.replace('MINIPAY_MERCHANT_PORT', 'MINIPAY_MERCHANT_PORT (set here by --port)')
          : error.message;
      io.stderr(`minipay-merchant: ${message}\n`);
      return 1;
    }
    throw error;
  }
  io.stdout(`minipay merchant server on ${server.url} (notifications at ${server.notifyUrl})\n`);
  io.onListening?.(server);
  const signal = await io.stopSignal();
  io.stdout(`${signal}: finishing requests in flight, stopping the reconciler, closing the database\n`);
  await server.close();
  return 0;
}
