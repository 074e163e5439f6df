// The `minipay-sandbox` bin.
import { closeOnSignals, runCli } from './internal/cli';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

runCli(process.argv.slice(2), process.env, io).then(
  (sandbox) => {
    if (!sandbox) {
      process.exitCode = process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 1;
      return;
    }
    closeOnSignals(sandbox, process, (code) => process.exit(code), io);
  },
  (error: unknown) => {
    io.err(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
