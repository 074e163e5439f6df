// The stack scripts' helpers on every OS: how npm is run (Windows' npm.cmd, injected as a platform), why a command
// failed, which address --lan picks, and how leftover servers are named.
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './helpers';

type NpmCommand = (
  args: string[],
  options?: {
    platform?: NodeJS.Platform;
    env?: Record<string, string | undefined>;
    execPath?: string;
    exists?: (path: string) => boolean;
  },
) => { command: string; args: string[]; shell: boolean };

const lib = (file: string) => import(join(repoRoot, 'scripts', 'lib', file));

describe('npmCommand', () => {
  let npmCommand: NpmCommand;
  beforeAll(async () => {
    ({ npmCommand } = await lib('npm-command.mjs'));
  });

  const windowsNode = 'C:\\Program Files\\nodejs\\node.exe';
  const windowsCli = 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js';

  it('on Windows runs the npm that started us (npm_execpath) with this node, no shell, arguments as they are', () => {
    const env = { npm_execpath: 'C:\\Users\\Jane Doe\\AppData\\npm\\node_modules\\npm\\bin\\npm-cli.js' };
    expect(
      npmCommand(['run', 'build', '-w', '@minipay/contract'], {
        platform: 'win32',
        env,
        execPath: windowsNode,
        exists: (path) => path === env.npm_execpath,
      }),
    ).toEqual({
      command: windowsNode,
      args: [env.npm_execpath, 'run', 'build', '-w', '@minipay/contract'],
      shell: false,
    });
  });

  it('on Windows, outside npm, finds npm-cli.js beside node.exe, where the installer puts it', () => {
    expect(
      npmCommand(['ci'], { platform: 'win32', env: {}, execPath: windowsNode, exists: (path) => path === windowsCli }),
    ).toEqual({ command: windowsNode, args: [windowsCli, 'ci'], shell: false });
  });

  it("never takes yarn's or pnpm's npm_execpath for npm", () => {
    const result = npmCommand(['ci'], {
      platform: 'win32',
      env: { npm_execpath: 'C:\\yarn\\bin\\yarn.js' },
      execPath: windowsNode,
      exists: () => true,
    });
    expect(result.args[0]).toBe(windowsCli);
  });

  it('on Windows with no npm-cli.js anywhere runs npm.cmd through the shell, quoting for cmd.exe', () => {
    expect(
      npmCommand(['run', 'build', '--', '--out-dir', 'C:\\Users\\Jane Doe\\dist'], {
        platform: 'win32',
        env: {},
        execPath: windowsNode,
        exists: () => false,
      }),
    ).toEqual({
      command: 'npm.cmd',
      args: ['run', 'build', '--', '--out-dir', '"C:\\Users\\Jane Doe\\dist"'],
      shell: true,
    });
  });

  it('on Linux and macOS finds npm-cli.js under the prefix of node, else runs npm itself', () => {
    const exists = (path: string) => path === '/opt/node/lib/node_modules/npm/bin/npm-cli.js';
    expect(npmCommand(['ci'], { platform: 'darwin', env: {}, execPath: '/opt/node/bin/node', exists })).toEqual({
      command: '/opt/node/bin/node',
      args: ['/opt/node/lib/node_modules/npm/bin/npm-cli.js', 'ci'],
      shell: false,
    });
    expect(npmCommand(['ci'], { platform: 'linux', env: {}, execPath: '/x/node', exists: () => false })).toEqual({
      command: 'npm',
      args: ['ci'],
      shell: false,
    });
  });

  it('runs this machine’s npm without a shell', () => {
    const npm = npmCommand(['--version']);
    expect(npm.shell).toBe(false);
    expect(npm.command).toBe(process.execPath);
    const result = spawnSync(npm.command, npm.args, { encoding: 'utf8' });
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('run', () => {
  it('names the reason when the command cannot be started at all', async () => {
    const { run } = await lib('stack.mjs');
    expect(() => run('minipay-no-such-command', ['--version'])).toThrow(
      'minipay-no-such-command --version failed (could not run minipay-no-such-command: ENOENT)',
    );
  });

  it('names the exit code and shows the output of a command that fails', async () => {
    const { run } = await lib('stack.mjs');
    expect(() =>
      run(process.execPath, ['-e', 'console.error("boom"); process.exit(3)'], { label: 'node boom' }),
    ).toThrow('node boom failed (exit code 3):\nboom');
  });
});

describe('--lan and MINIPAY_HOST', () => {
  type Interfaces = Record<string, { address: string; family: string; internal: boolean }[]>;
  const interfaces: Interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: '192.168.1.20', family: 'IPv4', internal: false },
    ],
    wlan0: [{ address: '10.0.0.7', family: 'IPv4', internal: false }],
  };

  it('reads --lan, --lan <address> and --lan=<address>, leaving the other arguments', async () => {
    const { takeLanFlag } = await lib('lan.mjs');
    expect(takeLanFlag(['--out-dir', 'x'])).toEqual({ lan: undefined, rest: ['--out-dir', 'x'] });
    expect(takeLanFlag(['--lan', '--out-dir', 'x'])).toEqual({ lan: true, rest: ['--out-dir', 'x'] });
    expect(takeLanFlag(['--lan'])).toEqual({ lan: true, rest: [] });
    expect(takeLanFlag(['--lan', '10.0.0.7', '--out-dir', 'x'])).toEqual({ lan: '10.0.0.7', rest: ['--out-dir', 'x'] });
    expect(takeLanFlag(['--lan=10.0.0.7'])).toEqual({ lan: '10.0.0.7', rest: [] });
  });

  it('--lan alone picks the first IPv4 address that is not loopback', async () => {
    const { chooseHost } = await lib('lan.mjs');
    expect(chooseHost({ lan: true, env: {}, defaultHost: '127.0.0.1', interfaces })).toBe('192.168.1.20');
  });

  it('an address given wins; MINIPAY_HOST is the same as --lan <address>; nothing means 127.0.0.1', async () => {
    const { chooseHost } = await lib('lan.mjs');
    const env = { MINIPAY_HOST: '10.0.0.7' };
    expect(chooseHost({ lan: '192.168.1.20', env, defaultHost: '127.0.0.1', interfaces })).toBe('192.168.1.20');
    expect(chooseHost({ env, defaultHost: '127.0.0.1', interfaces })).toBe('10.0.0.7');
    expect(chooseHost({ env: {}, defaultHost: '127.0.0.1', interfaces })).toBe('127.0.0.1');
  });

  it('refuses what cannot be one address for the phone, saying what to do', async () => {
    const { chooseHost } = await lib('lan.mjs');
    const choose =
      (lan: true | string, env = {}, known: Interfaces = interfaces) =>
      () =>
        chooseHost({ lan, env, defaultHost: '127.0.0.1', interfaces: known });
    expect(choose(true, {}, { lo: interfaces.lo! })).toThrow(
      /found no network address .* name an address with --lan <address>/,
    );
    expect(choose('0.0.0.0')).toThrow(
      '--lan 0.0.0.0 is every interface, but the mini program needs one address to call: name one (this machine has 192.168.1.20, 10.0.0.7)',
    );
    expect(choose('my-laptop')).toThrow('--lan must be an IP address of this machine, got "my-laptop"');
    expect(() => chooseHost({ env: { MINIPAY_HOST: 'x' }, defaultHost: '127.0.0.1', interfaces })).toThrow(
      'MINIPAY_HOST must be an IP address',
    );
  });
});

describe('leftover servers', () => {
  const leftover = {
    record: { pid: 100, startedAt: '2026-05-01T10:00:00.000Z', miniDir: '/x', parts: [] },
    owner: false,
    parts: [
      {
        name: 'wallet',
        title: 'wallet sandbox',
        pid: 101,
        host: '127.0.0.1',
        port: 8210,
        url: 'http://127.0.0.1:8210',
      },
      {
        name: 'merchant',
        title: 'merchant server',
        pid: 102,
        host: '127.0.0.1',
        port: 8200,
        url: 'http://127.0.0.1:8200',
      },
    ],
  };

  it('are named with their pids and the command that stops them on this OS', async () => {
    const { describeLeftover } = await lib('stack-file.mjs');
    expect(describeLeftover(leftover, 'linux')).toBe(
      'servers of an earlier npm start (pid 100, started 2026-05-01T10:00:00.000Z) are still running: wallet sandbox ' +
        '(pid 101, http://127.0.0.1:8210), merchant server (pid 102, http://127.0.0.1:8200). Stop them with kill 101 102 ' +
        'and start again',
    );
    expect(describeLeftover(leftover, 'win32')).toContain('Stop them with taskkill /pid 101 /pid 102 /t /f');
  });
});
