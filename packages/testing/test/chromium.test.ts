import { BrowserNotFoundError, browserCandidates, findChromium } from '../src';

const only = (path: string) => (candidate: string) => candidate === path;

describe('findChromium', () => {
  // Every usual place of every OS is found when it alone exists (Debian's package, the one CI installs, among them).
  test.each(['linux', 'darwin', 'win32'] as const)('on %s finds each usual place when it alone exists', (platform) => {
    const env = { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local', PROGRAMFILES: 'C:\\Program Files' };
    const candidates = browserCandidates(platform, env, '/Users/ana');
    expect(candidates.length).toBeGreaterThan(2);
    for (const path of candidates) {
      expect(findChromium({ platform, env, home: '/Users/ana', exists: only(path) })).toBe(path);
    }
  });

  test.each([
    ['linux', '/snap/bin/chromium'],
    ['darwin', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
    ['darwin', '/Users/ana/Applications/Chromium.app/Contents/MacOS/Chromium'],
  ] as const)('on %s finds %s', (platform, path) => {
    expect(findChromium({ platform, env: {}, home: '/Users/ana', exists: only(path) })).toBe(path);
  });

  test('on Windows looks under LOCALAPPDATA and Program Files, with backslashes', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local', PROGRAMFILES: 'C:\\Program Files' };
    const edge = 'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe';
    expect(findChromium({ platform: 'win32', env, exists: only(edge) })).toBe(edge);
    expect(browserCandidates('win32', env, 'C:\\Users\\ana')).toContain(
      'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
    );
  });

  test('MINIPAY_CHROMIUM wins over CHROMIUM_PATH and over the usual places', () => {
    const env = { MINIPAY_CHROMIUM: '/opt/a/chrome', CHROMIUM_PATH: '/opt/b/chrome' };
    expect(findChromium({ platform: 'linux', env, exists: () => true })).toBe('/opt/a/chrome');
    expect(findChromium({ platform: 'linux', env: { CHROMIUM_PATH: '/opt/b/chrome' }, exists: () => true })).toBe(
      '/opt/b/chrome',
    );
  });

  test('a variable naming a missing file is an error that names the variable, not a silent fallback', () => {
    expect(() =>
      findChromium({ platform: 'linux', env: { CHROMIUM_PATH: '/nope' }, exists: (p) => p !== '/nope' }),
    ).toThrow(/CHROMIUM_PATH names \/nope, which does not exist/);
  });

  test.each([
    ['linux', /apt-get install chromium/],
    ['darwin', /brew install --cask chromium/],
    ['win32', /Google Chrome or use Microsoft Edge/],
  ] as const)('nothing found on %s: one line saying how to install a browser', (platform, hint) => {
    let error: unknown;
    try {
      findChromium({ platform, env: {}, home: '/h', exists: () => false });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect((error as Error).message).toMatch(hint);
    expect((error as Error).message).toMatch(/MINIPAY_CHROMIUM/);
    expect((error as Error).message).not.toMatch(/\n/);
  });
});
