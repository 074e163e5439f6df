// `minipay-sandbox [--port N] [--host H] [--home DIR] [--public-url URL] [--retry-schedule MS,...] [--in-memory]`: starts
// the sandbox (its state kept in the dev home's sandbox.db unless --in-memory), prints what a developer needs (client id,
// key paths, URLs, where the state is) and closes cleanly on SIGINT/SIGTERM.
import { ContractError, DEFAULT_HOST, DEFAULT_SANDBOX_PORT, parsePort } from '@minipay/contract';
import { ensureDevHome, resolveDevHome } from '@minipay/dev-home';
import { parseArgs } from 'node:util';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../sandbox';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The numeric flags: each sets the option of the same meaning (0 turns a timeout or the cap off). */
const NUMERIC_FLAGS = {
  'notify-timeout-ms': { option: 'notifyTimeoutMs', min: 1 },
  'connection-timeout-ms': { option: 'connectionTimeoutMs', min: 0 },
  'request-timeout-ms': { option: 'requestTimeoutMs', min: 0 },
  'headers-timeout-ms': { option: 'headersTimeoutMs', min: 0 },
  'keep-alive-timeout-ms': { option: 'keepAliveTimeoutMs', min: 0 },
  'max-connections': { option: 'maxConnections', min: 0 },
} as const satisfies Record<string, { option: keyof SandboxOptions; min: number }>;
type NumericFlag = keyof typeof NUMERIC_FLAGS;

const USAGE = `Usage: minipay-sandbox [--port <port>] [--host <host>] [--home <dir>] [--public-url <url>] [--retry-schedule <ms,...>]
                       [--notify-timeout-ms <ms>] [--connection-timeout-ms <ms>] [--request-timeout-ms <ms>]
                       [--headers-timeout-ms <ms>] [--keep-alive-timeout-ms <ms>] [--max-connections <n>] [--in-memory]
  --port            default $MINIPAY_SANDBOX_PORT or ${DEFAULT_SANDBOX_PORT} (0 = any free port)
  --host            default ${DEFAULT_HOST}
  --home            the dev home with keys and config.json; default $MINIPAY_HOME or <repo>/.minipay
  --public-url      the base of cashier links when the sandbox is reached under another name (a LAN address);
                    default $MINIPAY_SANDBOX_PUBLIC_URL or http://<host>:<port>
  --retry-schedule  milliseconds before each notification retry, e.g. 500,1000,2000 to watch retries in
                    seconds instead of hours, or "none"; default $MINIPAY_SANDBOX_RETRY_SCHEDULE or
                    5000,30000,120000,600000,1800000,3600000
  --notify-timeout-ms      one notification attempt's timeout; default 10000
  --connection-timeout-ms  close a socket idle this long; default 30000 (0 = never)
  --request-timeout-ms     a request, body included, must arrive within this; default 30000 (0 = never)
  --headers-timeout-ms     a request's headers must arrive within this; default 10000 (0 = never)
  --keep-alive-timeout-ms  close an idle keep-alive socket this long after its answer; default 5000 (0 = never)
  --max-connections        connections open at once at most; default 500 (0 = no cap)
  --in-memory              keep the state in memory: a restart forgets every payment, auth code, token and fault
                           (default: kept in sandbox.db in the dev home, and picked up again after a restart)`;

/** `"500,1000"` → `[500, 1000]`, `"none"` → `[]`; undefined when the text is not such a list. */
function parseRetrySchedule(text: string): number[] | undefined {
  if (text.trim() === 'none') return [];
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length > 100 || !parts.every((part) => /^\d{1,9}$/.test(part))) return undefined;
  return parts.map(Number);
}

/**
 * Parses the arguments and starts the sandbox. Resolves the running sandbox, or `undefined` after printing why
 * it could not start (the caller exits with status 1) or the help text.
 */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  cwd: string = process.cwd(),
): Promise<RunningSandbox | undefined> {
  let values: {
    port?: string;
    host?: string;
    home?: string;
    'public-url'?: string;
    'retry-schedule'?: string;
    'in-memory'?: boolean;
    help?: boolean;
  } & { [flag in NumericFlag]?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        home: { type: 'string' },
        'public-url': { type: 'string' },
        'retry-schedule': { type: 'string' },
        ...Object.fromEntries(Object.keys(NUMERIC_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        'in-memory': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return undefined;
  }
  if (values.help) {
    io.out(USAGE);
    return undefined;
  }
  const portText = values.port ?? env.MINIPAY_SANDBOX_PORT;
  let port = DEFAULT_SANDBOX_PORT;
  try {
    if (portText !== undefined)
      port = parsePort(portText, values.port !== undefined ? '--port' : 'MINIPAY_SANDBOX_PORT');
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    io.err(error.message);
    return undefined;
  }
  const host = values.host ?? DEFAULT_HOST;
  const home = values.home ?? resolveDevHome(cwd, env);
  const publicUrl = values['public-url'] ?? env.MINIPAY_SANDBOX_PUBLIC_URL;
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    io.err(
      `${values['public-url'] !== undefined ? '--public-url' : 'MINIPAY_SANDBOX_PUBLIC_URL'} must be an http(s) URL, got ${JSON.stringify(publicUrl)}`,
    );
    return undefined;
  }
  const scheduleText = values['retry-schedule'] ?? env.MINIPAY_SANDBOX_RETRY_SCHEDULE;
  const retrySchedule = scheduleText === undefined ? undefined : parseRetrySchedule(scheduleText);
  if (scheduleText !== undefined && retrySchedule === undefined) {
    const source = values['retry-schedule'] !== undefined ? '--retry-schedule' : 'MINIPAY_SANDBOX_RETRY_SCHEDULE';
    io.err(
      `${source} must be milliseconds separated by commas (e.g. 500,1000,2000) or "none", got ${JSON.stringify(scheduleText)}`,
    );
    return undefined;
  }
  const numeric: Partial<Record<(typeof NUMERIC_FLAGS)[NumericFlag]['option'], number>> = {};
  for (const [flag, { option, min }] of Object.entries(NUMERIC_FLAGS) as Array<
    [NumericFlag, (typeof NUMERIC_FLAGS)[NumericFlag]]
  >) {
    const text = values[flag];
    if (text === undefined) continue;
    if (!/^\d{1,9}$/.test(text) || Number(text) < min) {
      io.err(`--${flag} must be a whole number from ${min}, got ${JSON.stringify(text)}`);
      return undefined;
    }
    numeric[option] = Number(text);
  }
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({
      ...numeric,
      home,
      host,
      port,
      log: io.out,
      inMemory: values['in-memory'] === true,
      ...(publicUrl ? { publicUrl } : {}),
      ...(retrySchedule ? { retrySchedule } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      io.err(
        `Port ${port} on ${host} is in use (another sandbox?). Pick another with --port <port> or MINIPAY_SANDBOX_PORT=<port>.`,
      );
    } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      io.err(`Cannot listen on host ${host}: ${(error as Error).message}. Pick another with --host.`);
    } else {
      io.err(`The sandbox could not start: ${(error as Error).message}`);
    }
    return undefined;
  }
  const devHome = await ensureDevHome(home);
  const base = publicUrl?.replace(/\/+$/, '') ?? sandbox.url;
  io.out(
    [
      sandbox.stateFile === undefined
        ? 'minipay wallet sandbox (state is in memory: a restart forgets every payment)'
        : 'minipay wallet sandbox (state is kept on disk: a restart picks up where this run stops)',
      `  client id           ${sandbox.clientId}`,
      `  dev home            ${devHome.home}`,
      `  state               ${sandbox.stateFile ?? 'in memory (--in-memory)'}`,
      `  merchant public key ${devHome.paths.merchantPublicKey} (trusted: verifies the merchant's requests)`,
      `  wallet public key   ${devHome.paths.walletPublicKey} (version ${devHome.walletKeyVersion}; give it to the merchant: verifies notifications and answers)`,
      `  wallet private key  ${devHome.paths.walletPrivateKey} (signs; never leaves this machine)`,
      `  dashboard           ${base}/`,
      `  OpenAPI base        ${base}/api/open  (e.g. POST ${base}/api/open/v2/payments/pay)`,
      `  cashier             ${base}/cashier/<paymentId>  (installSandbox(my, { baseUrl: '${base}' }) in the mini program)`,
      `  scripting API       ${base}/sandbox/...  (see the README)`,
    ].join('\n'),
  );
  return sandbox;
}

/** What `closeOnSignals` needs of `process`. */
export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** SIGINT and SIGTERM close the sandbox (scheduled notifications, open connections) and then exit. */
export function closeOnSignals(
  sandbox: RunningSandbox,
  signals: SignalSource,
  exit: (code: number) => void,
  io: CliIo,
): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    io.out(`${signal}: closing the sandbox`);
    sandbox.close().then(
      () => exit(0),
      (error: unknown) => {
        io.err(`closing failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };
  signals.once('SIGINT', () => stop('SIGINT'));
  signals.once('SIGTERM', () => stop('SIGTERM'));
}
