// The minipay-preview bin, as a user runs it.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { removeFolders, writeMiniProgram } from './helpers';

const BIN = join(__dirname, '..', 'dist', 'cli.cjs');

afterAll(() => removeFolders());

test('--help prints the usage and exits 0', () => {
  const result = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Usage: minipay-preview --dir <folder>');
});

test.each([
  [[], /--dir is required/],
  [['--dir', '.', '--port', 'x'], /--port must be a port number from 0 to 65535 \(0 = any free port\), got "x"/],
  [['--dir', '/no/such/folder'], /is not a folder/],
  [['--bogus'], /Unknown option '--bogus'/],
])('%j: a message and exit code 1', (args, message) => {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(message);
});

test('starts, prints the URL to open, serves it, and stops on SIGTERM', async () => {
  const dir = writeMiniProgram({ 'pages/index/index.axml': '<view>hi</view>' });
  const child = spawn(process.execPath, [BIN, '--dir', dir, '--port', '0', '--no-watch'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /open (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1] as string);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect((await fetch(url)).status).toBe(200);
  } finally {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
