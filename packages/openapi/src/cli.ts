// The `minipay-openapi` command (bin/minipay-openapi.cjs loads this from dist). One command so far: `verify`.
import { runVerify, VERIFY_USAGE, type CommandIo } from './internal/verify-command';

const USAGE = `Usage: minipay-openapi <command>

Commands:
  verify   check a captured request or response against a public key and say why it does or does not verify

${VERIFY_USAGE}`;

/** The process's streams and clock. */
function processIo(): CommandIo {
  return {
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    now: () => new Date(),
  };
}

/** Runs the command line `argv` (without node and the script); resolves the exit code. */
export async function main(argv: string[], io: CommandIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'verify') return runVerify(rest, io);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  io.err(`minipay-openapi: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  return 2;
}
