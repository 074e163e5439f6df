// `npm run preview [-- --width 414 ...]`: the preview of mini-app/dist alone, over a stack that is already
// running (npm start runs the preview itself). The wallet sandbox's URL comes from the same settings as npm
// start's; any argument after `--` goes to minipay-preview.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StackError, buildStale, repoRoot, stackSettings } from './lib/stack.mjs';

try {
  const settings = await stackSettings();
  buildStale(['preview']);
  const dir = join(repoRoot, 'mini-app', 'dist');
  if (!existsSync(join(dir, 'app.json'))) {
    throw new StackError(
      'mini-app/dist is not built: run npm start (or npm run build:mini with a stack running) first',
    );
  }
  const args = [
    '--dir',
    dir,
    '--sandbox-url',
    `http://${settings.host}:${settings.sandboxPort}`,
    ...process.argv.slice(2),
  ];
  const child = spawn(process.execPath, [join(repoRoot, 'packages', 'preview', 'dist', 'cli.cjs'), ...args], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
} catch (error) {
  console.error(error instanceof StackError ? `npm run preview: ${error.message}` : error);
  process.exitCode = 1;
}
