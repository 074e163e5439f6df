// The `minipay-preview` bin.
import { runCli } from './internal/cli';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

runCli(process.argv.slice(2), process.env, io).then(
  (preview) => {
    if (!preview) {
      process.exitCode = process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 1;
      return;
    }
    let closing = false;
    const stop = () => {
      if (closing) return;
      closing = true;
      preview.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (error: unknown) => {
    io.err(`The preview could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
