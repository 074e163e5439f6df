// `npm run preview [-- --width 414 ...]`: the preview alone, over a stack that is already running (npm start runs
// the preview itself), of the folder that stack builds (mini-app/dist, or its --out-dir). The wallet sandbox's URL
// comes from that stack (its stack.json), else
// from the same settings as npm start's, and so does the address it listens on (`--lan [address]` or MINIPAY_HOST,
// as npm start). Any other argument after `--` goes to minipay-preview.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { endWithSession } from './lib/lifetime.mjs';
import { takeLanFlag } from './lib/lan.mjs';
import { part } from './lib/parts.mjs';
import { readRunningStack } from './lib/stack-file.mjs';
import { StackError, buildStale, messageOf, repoRoot, stackSettings } from './lib/stack.mjs';

let child;
endWithSession(() => {
  // The preview stops when its channel closes (exit-with-parent.cjs), gracefully, on every OS.
  if (child?.connected) child.disconnect();
  else process.exit(0);
});

try {
  const { lan, rest } = takeLanFlag(process.argv.slice(2));
  const settings = await stackSettings(process.env, { lan });
  buildStale(['preview']);
  const running = readRunningStack(settings.home);
  // What the running npm start builds (mini-app/dist, or its --out-dir); a --dir of the caller's wins.
  const dir = running?.miniDir ?? join(repoRoot, 'mini-app', 'dist');
  if (!existsSync(join(dir, 'app.json')) && !rest.includes('--help') && !rest.includes('--dir')) {
    throw new StackError(`${dir} is not built: run npm start (or npm run build:mini with a stack running) first`);
  }
  const sandboxUrl = running?.urls.wallet ?? settings.urls.wallet;
  // The running stack's address (e.g. its --lan one), unless this command was given one itself.
  const host = settings.lan ? settings.host : (running?.host ?? settings.host);
  const args = [
    '--dir',
    dir,
    '--sandbox-url',
    sandboxUrl,
    '--host',
    host,
    '--port',
    String(settings.ports.preview),
    // Later flags win, so the caller's own --port or --host is used.
    ...rest,
  ];
  const guard = join(repoRoot, 'scripts', 'lib', 'exit-with-parent.cjs');
  child = spawn(process.execPath, ['--require', guard, join(repoRoot, part('preview').script), ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
} catch (error) {
  console.error(`npm run preview: ${messageOf(error)}`);
  process.exitCode = 1;
}
