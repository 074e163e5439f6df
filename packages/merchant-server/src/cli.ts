// `minipay-merchant [--port <n>] [--host <addr>] [--home <dir>]`: the merchant server from the environment
// (MINIPAY_*), with flags taking precedence. Stops gracefully on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { loadConfig } from './config';
import { MerchantServerError } from './errors';
import { startMerchantServer } from './server';

const USAGE = `Usage: minipay-merchant [--port <n>] [--host <addr>] [--home <dir>]

Runs the minipay reference merchant server. Settings come from MINIPAY_* environment
variables (see the README); flags override them:
  --port <n>      port to listen on (MINIPAY_MERCHANT_PORT, default 8200; 0 = any free port)
  --host <addr>   interface to listen on (MINIPAY_MERCHANT_HOST, default 127.0.0.1)
  --home <dir>    keys, config.json and merchant.db (MINIPAY_HOME, default .minipay/ at the repo root)
  --help          this text`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        home: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`minipay-merchant: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  if (values.port !== undefined) env.MINIPAY_MERCHANT_PORT = values.port;
  if (values.host !== undefined) env.MINIPAY_MERCHANT_HOST = values.host;
  if (values.home !== undefined) env.MINIPAY_HOME = values.home;

  let server;
  try {
    const options = loadConfig(env, { cwd: process.cwd() });
    server = await startMerchantServer(options);
  } catch (error) {
    if (error instanceof MerchantServerError) {
      const hint = values.port !== undefined && error.code === 'CONFIG_INVALID' ? ' (from --port)' : '';
      process.stderr.write(`minipay-merchant: ${error.message}${hint}\n`);
      return 1;
    }
    throw error;
  }
  process.stdout.write(`minipay merchant server on ${server.url} (notifications at ${server.notifyUrl})\n`);

  const running = server;
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      process.stdout.write(`${signal}: finishing requests in flight, then closing the database\n`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void running.close().then(resolve);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Unexpected: the message only (never a stack with configuration in it).
    process.stderr.write(`minipay-merchant: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
