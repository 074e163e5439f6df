// `minipay-preview --dir <dist> [--port 8220] [--host [address]] [--sandbox-url <url>] [--width 375]`.
import { parseArgs } from 'node:util';
import { DEFAULT_PREVIEW_PORT, parsePort } from '@minipay/contract';
import { PreviewError } from '../errors';
import { DEFAULT_WIDTH, startPreview, type RunningPreview } from '../server';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const USAGE = `Usage: minipay-preview --dir <folder> [--port <port>] [--host [address]] [--sandbox-url <url>] [--width <px>] [--no-watch]
  --dir          the built mini program folder, the one with app.json (e.g. mini-app/dist)
  --port         default $MINIPAY_PREVIEW_PORT or ${DEFAULT_PREVIEW_PORT} (0 = any free port)
  --host         the interface to listen on; default 127.0.0.1; --host alone = every interface (0.0.0.0)
  --sandbox-url  the wallet sandbox my.getAuthCode asks for codes (production builds); default $MINIPAY_SANDBOX_URL
  --width        the device width in px, 750rpx; default ${DEFAULT_WIDTH}
  --no-watch     do not reload the page when the folder changes`;

/** A bare `--host` means every interface, as in common dev servers. */
function withHostValue(argv: string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, index) => {
    out.push(arg);
    const next = argv[index + 1];
    if (arg === '--host' && (next === undefined || next.startsWith('--'))) out.push('0.0.0.0');
  });
  return out;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<RunningPreview | undefined> {
  let values: {
    dir?: string;
    port?: string;
    host?: string;
    'sandbox-url'?: string;
    width?: string;
    'no-watch'?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: withHostValue(argv),
      options: {
        dir: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'sandbox-url': { type: 'string' },
        width: { type: 'string' },
        'no-watch': { type: 'boolean' },
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
  if (!values.dir) {
    io.err(`--dir is required: the built mini program folder\n${USAGE}`);
    return undefined;
  }
  const portSource = values.port !== undefined ? '--port' : 'MINIPAY_PREVIEW_PORT';
  const portText = values.port ?? (env.MINIPAY_PREVIEW_PORT || String(DEFAULT_PREVIEW_PORT));
  let port: number;
  try {
    port = parsePort(portText, portSource);
  } catch (error) {
    io.err((error as Error).message);
    return undefined;
  }
  const widthText = values.width ?? String(DEFAULT_WIDTH);
  if (!/^\d+$/.test(widthText)) {
    io.err(`--width must be a whole number of pixels, got ${JSON.stringify(widthText)}`);
    return undefined;
  }
  const sandboxUrl = values['sandbox-url'] ?? env.MINIPAY_SANDBOX_URL;
  try {
    const preview = await startPreview({
      dir: values.dir,
      port,
      width: Number(widthText),
      watch: !values['no-watch'],
      ...(values.host ? { host: values.host } : {}),
      ...(sandboxUrl ? { sandboxUrl } : {}),
    });
    io.out(`minipay preview of ${preview.dir}`);
    io.out(`  open ${preview.url}`);
    if (sandboxUrl) io.out(`  auth codes from the wallet sandbox at ${sandboxUrl}`);
    return preview;
  } catch (error) {
    io.err(error instanceof PreviewError ? error.message : `The preview could not start: ${(error as Error).message}`);
    return undefined;
  }
}
