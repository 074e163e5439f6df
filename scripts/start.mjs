// `npm start`: the whole local stack in one command. Builds what is out of date, creates development keys
// in MINIPAY_HOME, starts the wallet sandbox and the merchant server wired to each other, builds the mini
// program in sandbox mode (again on every change), starts the preview of mini-app/dist (which reloads the
// browser on every rebuild) and prints where everything is. Ctrl-C stops it all.
import { existsSync, watch } from 'node:fs';
import { join, relative } from 'node:path';
import {
  StackError,
  assertPortFree,
  buildStale,
  importBuilt,
  repoRoot,
  run,
  stackSettings,
  startPart,
  stopPart,
  waitUntilUp,
} from './lib/stack.mjs';

const parts = [];
const watchers = [];
let stopping = false;

async function main() {
  const settings = await stackSettings();
  buildStale();
  buildStale(['preview']);
  const { ensureDevHome } = await importBuilt('dev-home');
  const dev = await ensureDevHome(settings.home);

  await assertPortFree(settings.host, settings.sandboxPort, 'MINIPAY_SANDBOX_PORT');
  await assertPortFree(settings.host, settings.merchantPort, 'MINIPAY_MERCHANT_PORT');
  await assertPortFree(settings.host, settings.previewPort, 'MINIPAY_PREVIEW_PORT');
  const sandboxUrl = `http://${settings.host}:${settings.sandboxPort}`;
  const merchantUrl = `http://${settings.host}:${settings.merchantPort}`;
  const previewUrl = `http://${settings.host}:${settings.previewPort}/`;
  const home = ['--home', settings.home];

  const sandbox = launch('wallet', 'packages/wallet-sandbox/dist/cli.cjs', settings, settings.sandboxPort, home, {});
  if (!(await waitUntilUp(`${sandboxUrl}/`, sandbox))) return;
  const merchant = launch('merchant', 'packages/merchant-server/dist/cli.cjs', settings, settings.merchantPort, home, {
    MINIPAY_WALLET_URL: sandboxUrl,
  });
  if (!(await waitUntilUp(`${merchantUrl}/api/products`, merchant))) return;

  const miniEnv = { ...process.env, MINIPAY_MERCHANT_URL: merchantUrl, MINIPAY_SANDBOX_URL: sandboxUrl };
  buildMiniProgram(miniEnv);
  watchMiniProgramSources(miniEnv);

  // The preview serves mini-app/dist as the IDE opens it, and reloads the browser when a rebuild rewrites it.
  let preview;
  if (existsSync(join(repoRoot, 'mini-app', 'dist', 'app.json'))) {
    const args = ['--dir', join(repoRoot, 'mini-app', 'dist'), '--sandbox-url', sandboxUrl];
    preview = launch('preview', 'packages/preview/dist/cli.cjs', settings, settings.previewPort, args, {});
    if (!(await waitUntilUp(previewUrl, preview))) return;
  }

  console.log(
    [
      '',
      'minipay local stack is running',
      `  wallet sandbox dashboard  ${sandboxUrl}/          (pid ${sandbox.pid})`,
      `  wallet OpenAPI            ${sandboxUrl}/api/open/v2/payments/pay ...`,
      `  merchant server API       ${merchantUrl}/api/products   (pid ${merchant.pid})`,
      preview
        ? `  mini program preview      ${previewUrl}   (pid ${preview.pid}; reloads when mini-app/dist is rebuilt)`
        : '  mini program preview      not started: mini-app/dist was not built (see the error above); fix it and restart',
      `  mini program              open ${repoRoot} in Mini Program Studio (mini.project.json → mini-app/dist)`,
      `  keys, config, database    ${relative(process.cwd(), dev.home) || '.'}/   (client id ${dev.clientId})`,
      '  try a payment headlessly  npm run demo',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

function launch(name, script, settings, port, extraArgs, env) {
  const child = startPart({
    name,
    script,
    args: ['--port', String(port), '--host', settings.host, ...extraArgs],
    env,
    onExit: (code, signal) => {
      if (stopping) return;
      // Ctrl-C in a terminal reaches the whole process group, so a part may stop cleanly before we hear of it.
      const clean = code === 0 || signal === 'SIGINT' || signal === 'SIGTERM';
      console.error(
        clean
          ? `\n${name} stopped; stopping the stack.`
          : `\n${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the stack.`,
      );
      void shutdown(clean ? 0 : 1);
    },
  });
  parts.push(child);
  return child;
}

function buildMiniProgram(env) {
  if (!existsSync(join(repoRoot, 'mini-app', 'src'))) return;
  try {
    run('npm', ['run', 'build', '--silent', '-w', '@minipay/mini-app'], { env });
    console.log('mini program built into mini-app/dist (sandbox mode)');
  } catch (error) {
    // A broken page must not take the servers down: show the error and wait for the next save.
    console.error(`mini program build failed:\n${error.message}`);
  }
}

/**
 * Rebuilds the mini program when its sources change, debounced. The mini program bundles tradepay and the sandbox
 * shim from their sources, so their folders are watched too and nothing else needs building first.
 */
function watchMiniProgramSources(env) {
  const folders = ['mini-app/src', 'packages/tradepay/src', 'packages/wallet-sandbox/src/mini'];
  let timer;
  for (const folder of folders) {
    const path = join(repoRoot, folder);
    if (!existsSync(path)) continue;
    watchers.push(
      watch(path, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          console.log('source changed: rebuilding the mini program ...');
          buildMiniProgram(env);
        }, 300);
      }),
    );
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const watcher of watchers) watcher.close();
  await Promise.all(parts.map((child) => stopPart(child)));
  process.exit(code);
}

process.on('SIGINT', () => {
  console.log('\nstopping ...');
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));

main().catch((error) => {
  console.error(error instanceof StackError ? `npm start: ${error.message}` : error);
  void shutdown(1);
});
