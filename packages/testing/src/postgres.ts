// A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a temporary folder, `pg_ctl start` on a
// free port of 127.0.0.1, removed again by `stop()`. PostgreSQL refuses to run as root, and CI runs as root, so
// as root the cluster belongs to an unprivileged system user (`postgres` when the package made one, else `nobody`).
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface PostgresCluster {
  /** `postgres://minipay@127.0.0.1:<port>/postgres` (trust authentication: tests only). */
  url: string;
  port: number;
  /** The cluster's data folder. */
  dataDir: string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Folder with `initdb`, `pg_ctl` and `psql`. Default: `MINIPAY_PG_BIN`, then PATH, then Debian's `/usr/lib/postgresql/<n>/bin`. */
  binDir?: string;
  /** Extra `postgresql.conf` settings, e.g. `{ max_connections: '200' }`. */
  settings?: Record<string, string>;
}

/** PostgreSQL's server programs are not installed (or not where they are looked for). */
export class PostgresNotFoundError extends Error {
  override readonly name = 'PostgresNotFoundError';
}

const SUPERUSER = 'minipay';
const executable = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

/**
 * The folder holding `initdb` and `pg_ctl`: `MINIPAY_PG_BIN`, then PATH, then the newest version under Debian's
 * `/usr/lib/postgresql` (whose package puts the server programs there, off PATH).
 */
export function findPostgresBin(
  env: Record<string, string | undefined> = process.env,
  debian = '/usr/lib/postgresql',
): string {
  const candidates: string[] = [];
  if (env.MINIPAY_PG_BIN) candidates.push(env.MINIPAY_PG_BIN);
  candidates.push(...(env.PATH ?? '').split(delimiter).filter(Boolean));
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debian, version, 'bin')));
  }
  const found = candidates.find(
    (dir) => existsSync(join(dir, executable('initdb'))) && existsSync(join(dir, executable('pg_ctl'))),
  );
  if (found) return found;
  throw new PostgresNotFoundError(
    'no PostgreSQL server programs (initdb, pg_ctl) found: install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`) or set MINIPAY_PG_BIN to the folder that holds them',
  );
}

/** As root, the uid/gid the cluster runs as; otherwise undefined (run as ourselves). */
function unprivilegedUser(): { uid: number; gid: number; name: string } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8') : '';
  for (const name of ['postgres', 'nobody']) {
    const line = passwd.split('\n').find((entry) => entry.startsWith(`${name}:`));
    if (!line) continue;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid), name };
  }
  throw new PostgresNotFoundError('running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function runTo(program: string, args: string[], options: SpawnOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${program} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

/** Starts a new, empty cluster. Call `stop()` when done (an exiting process also stops it). */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const bin = options.binDir ?? findPostgresBin();
  const user = unprivilegedUser();
  const root = mkdtempSync(join(tmpdir(), 'minipay-pg-'));
  const dataDir = join(root, 'data');
  if (user) chownSync(root, user.uid, user.gid);
  const asUser: SpawnOptions = user
    ? { uid: user.uid, gid: user.gid, cwd: root, env: { ...process.env, HOME: root } }
    : { cwd: root };
  const program = (name: string) => join(bin, executable(name));

  let started = false;
  const stopSync = () => {
    if (started) spawnSync(program('pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-s'], asUser);
    started = false;
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', stopSync);

  try {
    await runTo(
      program('initdb'),
      ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-sync'],
      asUser,
    );
    const port = await freePort();
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      port: String(port),
      // No Unix socket on Windows; elsewhere keep it inside the temporary folder, not /var/run.
      unix_socket_directories: process.platform === 'win32' ? '' : root,
      fsync: 'off',
      ...options.settings,
    };
    // Settings go into postgresql.conf rather than `pg_ctl -o`, whose quoting differs between shells and Windows.
    const conf = Object.entries(settings)
      .map(([name, value]) => `${name} = '${value.replace(/'/g, "''")}'`)
      .join('\n');
    appendFileSync(join(dataDir, 'postgresql.conf'), `\n# minipay test cluster\n${conf}\n`);
    await runTo(
      program('pg_ctl'),
      ['start', '-D', dataDir, '-w', '-t', '60', '-s', '-l', join(root, 'server.log')],
      asUser,
    );
    started = true;
    const base = `postgres://${SUPERUSER}@127.0.0.1:${port}`;
    const psql = existsSync(program('psql')) ? program('psql') : executable('psql');
    return {
      url: `${base}/postgres`,
      port,
      dataDir,
      async createDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name))
          throw new Error(`createDatabase: "${name}" is not a plain lowercase identifier`);
        await runTo(
          psql,
          ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${base}/postgres`, '-c', `CREATE DATABASE ${name}`],
          {},
        );
        return `${base}/${name}`;
      },
      async stop() {
        if (started) {
          await runTo(program('pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-s'], asUser).catch(
            () => undefined,
          );
          started = false;
        }
        process.removeListener('exit', stopSync);
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    stopSync();
    process.removeListener('exit', stopSync);
    throw error;
  }
}
