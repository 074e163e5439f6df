// `npm start [-- --lan [address]] [-- --out-dir <dir>]`: the whole local stack in one command. Builds what is out of
// date, creates development keys in MINIPAY_HOME, starts the parts of parts.mjs (the wallet sandbox, the merchant
// server wired to it, the preview), builds the mini program in sandbox mode (again on every change) and prints
// where everything is. It stops, and its parts with it, however its session ends (lifetime.mjs).
import { existsSync, watch } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { endWithSession } from './lib/lifetime.mjs';
import { HOST_VARIABLE, takeLanFlag } from './lib/lan.mjs';
import { PARTS } from './lib/parts.mjs';
import { describeLeftover, leftoverStack, removeStackFile, writeStackFile } from './lib/stack-file.mjs';
import {
  StackError,
  assertPortFree,
  buildStale,
  importBuilt,
  launchPart,
  messageOf,
  repoRoot,
  run,
  stackSettings,
  stopPart,
} from './lib/stack.mjs';

const USAGE = `Usage: npm start [-- --lan [address]] [-- --out-dir <dir>]

Starts the local stack: the wallet sandbox, the merchant server and the preview, and builds the mini program
in sandbox mode (again on every change).
  --lan [address]   listen on a network address instead of 127.0.0.1, so a phone or another computer on the
                    same network can reach the stack; without an address, this machine's first one
                    (${HOST_VARIABLE}=<address> does the same)
  --out-dir <dir>   where the mini program is built (default mini-app/dist, the folder mini.project.json opens)
  --help            this text
Ports: MINIPAY_SANDBOX_PORT, MINIPAY_MERCHANT_PORT, MINIPAY_PREVIEW_PORT (0 = any free port).`;

const children = [];
const watchers = [];
let stopping = false;
let home;
const write = endWithSession((reason) => {
  if (reason === 'SIGINT') write('\nstopping ...\n');
  void shutdown(0);
});

function options() {
  const { lan, rest } = takeLanFlag(process.argv.slice(2));
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { 'out-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new StackError(`${error.message}\n\n${USAGE}`);
  }
  return { lan, help: values.help, outDir: values['out-dir'] };
}

async function main() {
  const { lan, help, outDir } = options();
  if (help) {
    write(`${USAGE}\n`);
    return shutdown(0);
  }
  const settings = await stackSettings(process.env, { lan });
  home = settings.home;
  // Before anything is built: a stack of this dev home still running is the first thing to know.
  const leftover = await leftoverStack(settings.home);
  if (leftover) throw new StackError(describeLeftover(leftover));
  buildStale();
  buildStale(['preview']);
  const { ensureDevHome } = await importBuilt('dev-home');
  const dev = await ensureDevHome(settings.home);
  for (const notice of dev.notices) write(`npm start: ${notice}\n`);

  for (const entry of PARTS) await assertPortFree(settings.host, settings.ports[entry.name], entry.portVariable);

  const miniDir = resolve(outDir ?? join(repoRoot, 'mini-app', 'dist'));
  const stack = {
    ...settings,
    miniDir,
    // The sandbox's cashier links and the mini program's shim must agree on the sandbox's address (see parts.mjs).
    publicUrls: { wallet: process.env.MINIPAY_SANDBOX_PUBLIC_URL || settings.urls.wallet },
  };
  const running = {};
  for (const entry of PARTS) {
    if (entry.name === 'preview') {
      // The preview serves the built folder as the IDE opens it, and reloads the browser when a rebuild rewrites it.
      const miniEnv = {
        ...process.env,
        MINIPAY_MERCHANT_URL: settings.urls.merchant,
        MINIPAY_SANDBOX_URL: stack.publicUrls.wallet,
      };
      buildMiniProgram(miniEnv, miniDir);
      watchMiniProgramSources(miniEnv, miniDir);
      if (!existsSync(join(miniDir, 'app.json'))) continue;
    }
    const { child, up } = await launchPart(entry, stack, { onExit: exited(entry), print: write });
    children.push(child);
    if (!up) return;
    running[entry.name] = child;
  }

  writeStackFile(settings.home, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    miniDir,
    parts: PARTS.filter((entry) => running[entry.name]).map((entry) => ({
      name: entry.name,
      title: entry.title,
      pid: running[entry.name].pid,
      host: settings.host,
      port: settings.ports[entry.name],
      url: settings.urls[entry.name],
    })),
  });
  write(summary(settings, stack, running, dev));
}

/** A path as the person at the terminal reads it best: relative when it is under the current folder. */
function shown(path) {
  const near = relative(process.cwd(), path);
  return near === '' ? '.' : near.startsWith('..') || isAbsolute(near) ? path : near;
}

function summary(settings, stack, running, dev) {
  const { urls } = settings;
  const pid = (name) => `(pid ${running[name].pid})`;
  const dist = shown(stack.miniDir);
  const ideDir = join(repoRoot, 'mini-app', 'dist');
  const lines = [
    '',
    'minipay local stack is running',
    `  wallet sandbox dashboard  ${urls.wallet}/          ${pid('wallet')}`,
    `  wallet OpenAPI            ${urls.wallet}/api/open/v2/payments/pay ...`,
    `  merchant server API       ${urls.merchant}/api/products   ${pid('merchant')}`,
    running.preview
      ? `  mini program preview      ${urls.preview}/   (pid ${running.preview.pid}; reloads when ${dist} is rebuilt)`
      : `  mini program preview      not started: ${dist} was not built (see the error above); fix it and restart`,
    stack.miniDir === ideDir
      ? `  mini program              open ${repoRoot} in Mini Program Studio (mini.project.json → mini-app/dist)`
      : `  mini program              built into ${dist} (--out-dir); Mini Program Studio opens mini-app/dist, which this start leaves alone`,
    `  keys, config, database    ${shown(dev.home)}/   (client id ${dev.clientId})`,
    '  try a payment headlessly  npm run demo',
  ];
  if (settings.lan) {
    lines.push(
      '',
      `On the network, as ${settings.host} (every part listens there, not on 127.0.0.1):`,
      `  on the phone, open ${urls.wallet}/ in its browser first: if the sandbox dashboard shows, the phone`,
      '    reaches the stack; then preview the mini program from Mini Program Studio (it is built to call',
      `    ${urls.merchant} and ${stack.publicUrls.wallet})`,
      `  on another computer, open ${urls.preview}/ for the preview`,
      '  a firewall may ask to let node accept connections: allow it on this network',
    );
  }
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

function exited(entry) {
  return (code, signal) => {
    if (stopping) return;
    // Ctrl-C in a terminal reaches the whole process group, so a part may stop cleanly before we hear of it.
    const clean = code === 0 || signal === 'SIGINT' || signal === 'SIGTERM';
    process.stderr.write(
      clean
        ? `\n${entry.name} stopped; stopping the stack.\n`
        : `\n${entry.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the stack.\n`,
    );
    void shutdown(clean ? 0 : 1);
  };
}

function buildMiniProgram(env, outDir) {
  if (!existsSync(join(repoRoot, 'mini-app', 'src'))) return;
  const dist = shown(outDir);
  try {
    run(process.execPath, [join(repoRoot, 'mini-app', 'scripts', 'build.mjs'), '--out-dir', outDir], { env });
    write(`mini program built into ${dist} (sandbox mode)\n`);
  } catch (error) {
    // A broken page must not take the servers down: show the error and wait for the next save.
    process.stderr.write(`mini program build failed:\n${messageOf(error)}\n`);
  }
}

/**
 * Rebuilds the mini program when its sources change, debounced. The mini program bundles tradepay and the sandbox
 * shim from their sources, so their folders are watched too and nothing else needs building first.
 */
function watchMiniProgramSources(env, outDir) {
  const folders = ['mini-app/src', 'packages/tradepay/src', 'packages/wallet-sandbox/src/mini'];
  let timer;
  for (const folder of folders) {
    const path = join(repoRoot, folder);
    if (!existsSync(path)) continue;
    watchers.push(
      watch(path, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          write('source changed: rebuilding the mini program ...\n');
          buildMiniProgram(env, outDir);
        }, 300);
      }),
    );
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const watcher of watchers) watcher.close();
  await Promise.all(children.map((child) => stopPart(child)));
  if (home) removeStackFile(home);
  process.exit(code);
}

main().catch((error) => {
  process.stderr.write(`npm start: ${messageOf(error)}\n`);
  void shutdown(1);
});
