// The `minipay-merchant` bin: `runCli` with the real process. Stops gracefully on SIGINT/SIGTERM.
import { runCli } from './internal/cli-main';

const stopSignal = (): Promise<string> =>
  new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });

runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stopSignal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Unexpected: the message only, never a stack that might quote configuration.
    process.stderr.write(`minipay-merchant: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
