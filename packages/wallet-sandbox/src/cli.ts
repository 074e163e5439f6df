// The `minipay-sandbox` bin.
import { runCli } from './internal/cli';

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
    const stop = (signal: string) => {
      io.out(`${signal}: closing the sandbox`);
      sandbox.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  },
  (error: unknown) => {
    io.err(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
