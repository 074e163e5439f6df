// Finding a Chromium-family browser already on this machine, on Linux, macOS and Windows. The web page tests
// and the screenshot script drive it with playwright-core, which never downloads a browser of its own.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/**
 * The flags every headless launch uses. The background-networking, component-update and sync flags keep
 * Chromium from calling Google's services, which a closed network refuses many times a second.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The variables that name a browser binary, in the order they are read. */
export const BROWSER_VARIABLES = ['MINIPAY_CHROMIUM', 'CHROMIUM_PATH'] as const;

export interface FindChromiumOptions {
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Default `fs.existsSync`; tests inject a file system. */
  exists?: (path: string) => boolean;
  /** Default `os.homedir()`. */
  home?: string;
}

/** No browser was found, or a variable names one that does not exist. The message says what to do. */
export class BrowserNotFoundError extends Error {
  override readonly name = 'BrowserNotFoundError' as const;
  readonly code = 'BROWSER_NOT_FOUND' as const;
}

/** The usual install locations of Chromium, Chrome and Edge on each OS, most specific first. */
export function browserCandidates(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  home: string,
): string[] {
  if (platform === 'win32') {
    const bases = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(
      (base): base is string => typeof base === 'string' && base !== '',
    );
    const relatives = [
      ['Chromium', 'Application', 'chrome.exe'],
      ['Google', 'Chrome', 'Application', 'chrome.exe'],
      ['Microsoft', 'Edge', 'Application', 'msedge.exe'],
    ];
    return bases.flatMap((base) => relatives.map((parts) => win32.join(base, ...parts)));
  }
  if (platform === 'darwin') {
    const apps = [
      ['Chromium.app', 'Chromium'],
      ['Google Chrome.app', 'Google Chrome'],
      ['Microsoft Edge.app', 'Microsoft Edge'],
    ];
    return ['/Applications', posix.join(home, 'Applications')].flatMap((dir) =>
      apps.map(([app, binary]) => posix.join(dir, app!, 'Contents', 'MacOS', binary!)),
    );
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
  return ['/usr/bin', '/usr/local/bin', '/snap/bin'].flatMap((dir) => names.map((name) => posix.join(dir, name)));
}

function installHint(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'install Chromium or Google Chrome (e.g. `brew install --cask chromium`)';
  if (platform === 'win32') return 'install Google Chrome or use Microsoft Edge';
  return 'install Chromium (Debian/Ubuntu: `apt-get install chromium`)';
}

/**
 * The path of a Chromium-family browser: the one `MINIPAY_CHROMIUM` or `CHROMIUM_PATH` names, else the first
 * usual install location that exists. Throws `BrowserNotFoundError` with one line saying how to get one.
 */
export function findChromium(options: FindChromiumOptions = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const exists = options.exists ?? existsSync;
  for (const variable of BROWSER_VARIABLES) {
    const named = env[variable];
    if (named === undefined || named === '') continue;
    if (!exists(named)) {
      throw new BrowserNotFoundError(
        `${variable} names ${named}, which does not exist: point it at a Chromium or Chrome binary`,
      );
    }
    return named;
  }
  const found = browserCandidates(platform, env, options.home ?? homedir()).find((path) => exists(path));
  if (found) return found;
  throw new BrowserNotFoundError(
    `no Chromium, Chrome or Edge found: ${installHint(platform)}, or set ${BROWSER_VARIABLES[0]} to the browser's binary`,
  );
}
