// The local development state of docs/PROTOCOL.md §8: keys and config in MINIPAY_HOME (default `.minipay/` at the repo
// root). Whichever part starts first creates what is missing; the others read the same files. Keys are generated
// off the event loop (`crypto.generateKeyPair`), so a server that creates them does not stall its other requests.
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DevHomeError } from './errors';

/** Where each file of a dev home is. */
export interface DevHomePaths {
  merchantPrivateKey: string;
  merchantPublicKey: string;
  walletPrivateKey: string;
  walletPublicKey: string;
  config: string;
  /** The merchant server's operator token (`MINIPAY_ADMIN_TOKEN` in development), read by `npm run refund`. */
  adminToken: string;
  /** The merchant server's SQLite file (its default `databasePath`). */
  database: string;
  /** The wallet sandbox's state (SQLite): payments, notifications, auth codes, tokens, faults. */
  sandboxState: string;
}

/** Everything a local merchant server and wallet sandbox need to talk to each other. */
export interface DevHome {
  /** The folder, absolute. */
  home: string;
  /** The merchant's `Client-Id` at the sandbox wallet. */
  clientId: string;
  /** The merchant server's HMAC secret for session tokens (development only). */
  sessionSecret: string;
  /** The merchant server's operator token for `/admin/...` (development only). */
  adminToken: string;
  merchantPrivateKey: string;
  merchantPublicKey: string;
  walletPrivateKey: string;
  walletPublicKey: string;
  /**
   * The version of the wallet's current key pair, as the sandbox names it in its `Signature` headers (`keyVersion`):
   * 1, and one more after each `rotateWalletKey`.
   */
  walletKeyVersion: string;
  /**
   * The wallet public key of every version the home still has: the current one and each retired one
   * (`wallet-public.v<version>.pem`, until it is deleted). The merchant server's development default.
   */
  walletPublicKeys: Record<string, string>;
  /** Where each file is, for messages that tell a developer what to paste where. */
  paths: DevHomePaths;
  /**
   * What this call had to make again in a dev home that was already set up, as lines for the terminal: a private
   * key that was missing gets a new pair, and whoever holds the old public key refuses its signatures.
   */
  notices: string[];
}

/** The variable that names the dev home. */
export const HOME_VARIABLE = 'MINIPAY_HOME';

/**
 * The default folder: `MINIPAY_HOME` if set, else `.minipay/` in the nearest folder above `from` that holds
 * `mini.project.json` (the repo root), else `.minipay/` in `from`.
 */
export function resolveDevHome(
  from: string = process.cwd(),
  env: Record<string, string | undefined> = process.env,
): string {
  const named = env[HOME_VARIABLE];
  if (named) return resolve(named);
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'mini.project.json'))) return join(dir, '.minipay');
    const parent = dirname(dir);
    if (parent === dir) return join(resolve(from), '.minipay');
    dir = parent;
  }
}

/** The files of the dev home at `home`, whether they exist yet or not. */
export function devHomePaths(home: string): DevHomePaths {
  const root = resolve(home);
  return {
    merchantPrivateKey: join(root, 'merchant-private.pem'),
    merchantPublicKey: join(root, 'merchant-public.pem'),
    walletPrivateKey: join(root, 'wallet-private.pem'),
    walletPublicKey: join(root, 'wallet-public.pem'),
    config: join(root, 'config.json'),
    adminToken: join(root, 'admin-token'),
    database: join(root, 'merchant.db'),
    sandboxState: join(root, 'sandbox.db'),
  };
}

/**
 * Creates what is missing in `home` (keys, config) and reads it all. Safe when two processes start at once.
 * @throws DevHomeError `INVALID_CONFIG` when config.json is broken (the message says to delete it).
 */
export async function ensureDevHome(home: string = resolveDevHome()): Promise<DevHome> {
  const root = resolve(home);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const paths = devHomePaths(root);
  // A home that has its config.json, or a public key without its private key, was set up before: a private key
  // missing from it was deleted, and making a new pair silently would leave the other side with the old public key.
  const setUp = existsSync(paths.config);
  const hadPublic = { merchant: existsSync(paths.merchantPublicKey), wallet: existsSync(paths.walletPublicKey) };
  const [merchant, wallet] = await Promise.all([
    ensureKeyPair(paths.merchantPrivateKey, paths.merchantPublicKey),
    ensureKeyPair(paths.walletPrivateKey, paths.walletPublicKey),
  ]);
  const notices: string[] = [];
  if (merchant.created && (setUp || hadPublic.merchant)) {
    notices.push(
      `${paths.merchantPrivateKey} was missing, so a new merchant key pair was made: a wallet that has the old ` +
        "merchant public key (a wallet sandbox still running, or a real wallet's console) refuses every request " +
        'with INVALID_SIGNATURE until it gets the new one (restart the sandbox; `npm run keys` prints the key for a console)',
    );
  }
  if (wallet.created && (setUp || hadPublic.wallet)) {
    notices.push(
      `${paths.walletPrivateKey} was missing, so a new sandbox wallet key pair was made: a merchant server that ` +
        "still has the old wallet public key refuses the sandbox's answers and notifications until it is restarted",
    );
  }
  await createOnce(
    paths.config,
    async () =>
      JSON.stringify(
        {
          clientId: `SANDBOX_${randomBytes(6).toString('hex').toUpperCase()}`,
          sessionSecret: randomBytes(32).toString('base64url'),
        },
        null,
        2,
      ) + '\n',
    0o600,
  );
  // Its own file, so a dev home made before the operator API existed gains one without touching config.json.
  await createOnce(paths.adminToken, async () => `${randomBytes(32).toString('base64url')}\n`, 0o600);
  const config = readConfig(paths.config);
  const adminToken = readFileSync(paths.adminToken, 'utf8').trim();
  const retired = retiredWalletKeys(root);
  const walletKeyVersion = readWalletKeyVersion(root);
  return {
    home: root,
    clientId: config.clientId,
    sessionSecret: config.sessionSecret,
    adminToken,
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
    walletPrivateKey: wallet.privateKey,
    walletPublicKey: wallet.publicKey,
    walletKeyVersion,
    walletPublicKeys: { ...retired, [walletKeyVersion]: wallet.publicKey },
    paths,
    notices,
  };
}

/** The file with the wallet key's version (absent until the first rotation: version 1). */
const WALLET_KEY_VERSION_FILE = 'wallet-key-version';

function readWalletKeyVersion(root: string): string {
  const file = join(root, WALLET_KEY_VERSION_FILE);
  if (!existsSync(file)) return '1';
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[1-9]\d{0,5}$/.test(text)) {
    throw new DevHomeError(`${file} must hold the wallet key's version, a whole number from 1; delete it for 1`, {
      code: 'INVALID_CONFIG',
    });
  }
  return text;
}

const RETIRED_WALLET_KEY = /^wallet-public\.v([1-9]\d{0,5})\.pem$/;

/** The retired wallet public keys in `root`, by version. */
function retiredWalletKeys(root: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const name of readdirSync(root)) {
    const match = RETIRED_WALLET_KEY.exec(name);
    if (match) keys[match[1] as string] = readFileSync(join(root, name), 'utf8');
  }
  return keys;
}

/**
 * Rotates the sandbox wallet's key pair: the current public key is kept as `wallet-public.v<version>.pem` (so a
 * merchant still verifies what that version signed, until the file is deleted), its private key as
 * `wallet-private.v<version>.pem.old` (never used again), and a new pair of the next version is generated.
 * @returns the dev home with the new pair.
 */
export async function rotateWalletKey(home: string = resolveDevHome()): Promise<DevHome> {
  const before = await ensureDevHome(home);
  const { paths } = before;
  const version = before.walletKeyVersion;
  renameSync(paths.walletPublicKey, join(before.home, `wallet-public.v${version}.pem`));
  renameSync(paths.walletPrivateKey, join(before.home, `wallet-private.v${version}.pem.old`));
  writeFileSync(join(before.home, WALLET_KEY_VERSION_FILE), `${Number(version) + 1}\n`, { mode: 0o644 });
  return ensureDevHome(home);
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** A fresh RSA-2048 pair as PEM (PKCS#8 private, SPKI public: what the wallets' consoles take), made off the event loop. */
export async function generateRsaKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  return generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

async function ensureKeyPair(
  privatePath: string,
  publicPath: string,
): Promise<{ privateKey: string; publicKey: string; created: boolean }> {
  const created = await createOnce(privatePath, async () => (await generateRsaKeyPair()).privateKey, 0o600);
  const privateKey = readFileSync(privatePath, 'utf8');
  // The public key is always derived from the private one, so a race or a deleted file can never pair
  // a private key with someone else's public key.
  const publicKey = createPublicKey(createPrivateKey(privateKey)).export({ type: 'spki', format: 'pem' }).toString();
  if (!existsSync(publicPath) || readFileSync(publicPath, 'utf8') !== publicKey) {
    writeFileSync(publicPath, publicKey, { mode: 0o644 });
  }
  return { privateKey, publicKey, created };
}

/**
 * Writes `path` only if it does not exist, atomically: a complete file or none, and the first writer wins. True when
 * this call wrote it.
 */
async function createOnce(path: string, content: () => Promise<string>, mode: number): Promise<boolean> {
  if (existsSync(path)) return false;
  const text = await content();
  if (existsSync(path)) return false;
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(temporary);
  }
}

function readConfig(path: string): { clientId: string; sessionSecret: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // No cause: V8's SyntaxError quotes the text around the error, and this file holds the session secret.
    throw new DevHomeError(`${path} is not valid JSON; delete it to have it created again`, { code: 'INVALID_CONFIG' });
  }
  const config = parsed as { clientId?: unknown; sessionSecret?: unknown };
  if (
    typeof config.clientId !== 'string' ||
    !config.clientId ||
    typeof config.sessionSecret !== 'string' ||
    !config.sessionSecret
  ) {
    throw new DevHomeError(
      `${path} must hold { "clientId": string, "sessionSecret": string }; delete it to have it created again`,
      {
        code: 'INVALID_CONFIG',
      },
    );
  }
  return { clientId: config.clientId, sessionSecret: config.sessionSecret };
}
