// What the stack commands say when they cannot do what was asked: one line that names the problem and the fix,
// never a stack trace, and the output of a part that died at start-up rather than only that it died.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, npm } from './helpers';

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'minipay-errors-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function ports() {
  return {
    MINIPAY_MERCHANT_PORT: String(await freePort()),
    MINIPAY_SANDBOX_PORT: String(await freePort()),
    MINIPAY_PREVIEW_PORT: String(await freePort()),
  };
}

describe('a broken config.json in the dev home', () => {
  beforeEach(() => writeFileSync(join(home, 'config.json'), '{"clientId": "SANDBOX_1", '));
  const problem = () => `${join(home, 'config.json')} is not valid JSON; delete it to have it created again`;

  it('npm start says which file and what to do, without a stack trace', async () => {
    const start = npm(['start', '--', '--out-dir', join(home, 'dist')], { MINIPAY_HOME: home, ...(await ports()) });
    expect(await start.exited).toBe(1);
    expect(start.output()).toContain(`npm start: ${problem()}`);
    expect(start.output()).not.toMatch(STACK_TRACE);
  });

  it('npm run keys says the same', async () => {
    const keys = npm(['run', 'keys', '--silent'], { MINIPAY_HOME: home });
    expect(await keys.exited).toBe(1);
    expect(keys.output()).toContain(`npm run keys: ${problem()}`);
    expect(keys.output()).not.toMatch(STACK_TRACE);
  });

  it('npm run demo, starting its own stack, shows what the sandbox said when it died', async () => {
    const demo = npm(['run', 'demo', '--silent'], { MINIPAY_HOME: home, ...(await ports()) });
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toContain('demo: the wallet sandbox exited at start-up:\n');
    expect(demo.output()).toContain(problem());
    expect(demo.output()).not.toMatch(STACK_TRACE);
  }, 60_000);
});

describe.each([
  ['npm start', ['start'], /^Usage: npm start \[-- --lan \[address\]\]/m, '--lna'],
  ['npm run demo', ['run', 'demo', '--silent'], /^Usage: npm run demo \[-- --outcome <name>\]/m, '--outcom'],
  ['npm run keys', ['run', 'keys', '--silent'], /^Usage: npm run keys \[-- --rotate\]/m, '--rotat'],
] as const)('%s', (_name, command, usage, typo) => {
  it('--help prints the usage and exits 0', async () => {
    const run = npm([...command, '--', '--help'], { MINIPAY_HOME: home });
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(usage);
  });

  it('an unknown option is named, with the usage, exit 1 and no stack trace', async () => {
    const run = npm([...command, '--', typo], { MINIPAY_HOME: home });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`Unknown option '${typo}'`);
    expect(run.output()).toMatch(usage);
    expect(run.output()).not.toMatch(STACK_TRACE);
  });
});

it('npm run keys says so when a private key of the dev home was deleted and a new pair was made', async () => {
  const keys = npm(['run', 'keys', '--silent'], { MINIPAY_HOME: home });
  expect(await keys.exited).toBe(0);
  rmSync(join(home, 'merchant-private.pem'));
  const again = npm(['run', 'keys', '--silent'], { MINIPAY_HOME: home });
  expect(await again.exited).toBe(0);
  expect(again.output()).toContain(
    `npm run keys: ${join(home, 'merchant-private.pem')} was missing, so a new merchant key pair was made`,
  );
});
