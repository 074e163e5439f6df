// `minipay-openapi verify`: checks a captured request or response against a public key and prints the signature
// doctor's diagnosis. Exit codes: 0 it verifies, 1 it does not (the diagnosis says why), 2 the command could not
// check it (bad arguments, a file that cannot be read, a capture or a key that does not parse).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { diagnoseSignature, formatDiagnosis, type NamedKey } from '../doctor';
import { OpenApiError } from '../errors';
import { parsePublicKey } from '../keys';
import { requestPath } from '../request-target';
import { readTime } from '../request-time';
import { CaptureError, parseCapture } from './capture';
import { readHeader } from './headers';

export interface CommandIo {
  /** The capture when it comes from stdin. */
  readStdin: () => Promise<Buffer>;
  out: (text: string) => void;
  err: (text: string) => void;
  /** The clock for the replay window. */
  now: () => Date;
}

export const VERIFY_USAGE = `Usage: minipay-openapi verify [<capture-file> | -] --key <public-key.pem> [options]

Checks a captured OpenAPI request or response (from a file, or stdin with "-" or no file) against the signer's
public key and prints why it does or does not verify. A capture is the raw HTTP message text (request line or
status line, headers, an empty line, the body), or the output of curl -v.

  --key <file>        the public key of whoever signed the message (for a wallet's answer: the wallet's)
  --other-key <file>  another public key you know (e.g. your own), to name the key that would verify; repeatable
  --path <path>       the path the request was signed over: needed for a bare response, or to override the request
                      line (behind a proxy that rewrites paths, the public path)
  --method <method>   the request's method for a bare response; default POST
  --prefix <prefix>   a path prefix to try besides /api/open, /api and /acl/api; repeatable
  --now <time>        the clock for a request's replay window (ISO 8601 or epoch milliseconds); default now
  --tolerance <s>     the replay window in seconds; default 300
  --no-window         do not check a request's time against the clock (an old capture)
  --json              print the diagnosis as JSON

Exit codes: 0 the message verifies, 1 it does not (the diagnosis says why), 2 it could not be checked.`;

/** Runs `verify` with `argv` (the arguments after "verify"); resolves the exit code. */
export async function runVerify(argv: string[], io: CommandIo): Promise<number> {
  const usageError = (message: string) => {
    io.err(`minipay-openapi verify: ${message}\n\n${VERIFY_USAGE}`);
    return 2;
  };
  let parsed: ReturnType<typeof parseVerifyArgs>;
  try {
    parsed = parseVerifyArgs(argv);
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(VERIFY_USAGE);
    return 0;
  }
  if (!values.key)
    return usageError('--key <public-key.pem> is required: the public key of whoever signed the message');
  if (positionals.length > 1) return usageError(`one capture at a time, got ${positionals.length}`);

  try {
    const source = positionals[0] ?? '-';
    const input = source === '-' ? await io.readStdin() : readFile(source, 'the capture');
    if (input.length === 0) return usageError('the capture is empty');
    const capture = parseCapture(input);
    const keys: NamedKey[] = [values.key, ...(values['other-key'] ?? [])].map((file) => ({
      name: file,
      key: parsePublicKey(readFile(file, 'the key').toString('utf8'), file),
    }));
    const target = values.path ?? (capture.target === undefined ? undefined : requestPath(capture.target));
    if (target === undefined)
      return usageError(
        'a bare response needs --path: the path of the request it answers (e.g. /api/open/v2/payments/pay)',
      );
    if (!target.startsWith('/'))
      return usageError(`--path must be the path as sent, starting with "/", got ${JSON.stringify(target)}`);
    const tolerance = values.tolerance === undefined ? 300 : Number(values.tolerance);
    if (!(tolerance >= 0))
      return usageError(`--tolerance must be a number of seconds >= 0, got ${JSON.stringify(values.tolerance)}`);
    let now: Date | undefined;
    if (capture.kind === 'request' && !values['no-window']) {
      if (values.now === undefined) now = io.now();
      else {
        const instant = readTime(values.now);
        if (!instant)
          return usageError(
            `--now must be ISO 8601 with an offset or epoch milliseconds, got ${JSON.stringify(values.now)}`,
          );
        now = new Date(instant.ms);
      }
    }
    const timeHeader = capture.kind === 'request' ? 'Request-Time' : 'Response-Time';
    const diagnosis = diagnoseSignature({
      kind: capture.kind,
      method: values.method ?? capture.method ?? 'POST',
      path: target,
      clientId: readHeader(capture.headers, 'Client-Id'),
      time: readHeader(capture.headers, timeHeader),
      signature: readHeader(capture.headers, 'Signature'),
      body: capture.body,
      keys,
      ...(now ? { now, toleranceSeconds: tolerance } : {}),
      ...(values.prefix ? { prefixes: values.prefix } : {}),
    });
    if (values.json) io.out(JSON.stringify({ ...diagnosis, notes: capture.notes }, null, 2));
    else io.out([formatDiagnosis(diagnosis), ...capture.notes.map((note) => `note: ${note}`)].join('\n'));
    return diagnosis.verified ? 0 : 1;
  } catch (error) {
    if (error instanceof CaptureError || error instanceof OpenApiError || error instanceof FileError) {
      io.err(`minipay-openapi verify: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

class FileError extends Error {}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(
      `cannot read ${what} ${JSON.stringify(path)}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`,
    );
  }
}

function parseVerifyArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      key: { type: 'string' },
      'other-key': { type: 'string', multiple: true },
      path: { type: 'string' },
      method: { type: 'string' },
      prefix: { type: 'string', multiple: true },
      now: { type: 'string' },
      tolerance: { type: 'string' },
      'no-window': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
