import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findPostgresBin, startPostgres, type PostgresCluster } from '../src';

const psql = (url: string, sql: string) => {
  const beside = join(findPostgresBin(), 'psql');
  const result = spawnSync(existsSync(beside) ? beside : 'psql', ['-X', '-A', '-t', '-d', url, '-c', sql], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
};

describe('startPostgres', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres({ settings: { max_connections: '50' } });
  }, 60000);
  afterAll(() => cluster?.stop());

  test('a real server answers on 127.0.0.1 at the port it reports, with the settings asked for', () => {
    expect(cluster.url).toBe(`postgres://minipay@127.0.0.1:${cluster.port}/postgres`);
    expect(psql(cluster.url, 'SHOW max_connections')).toBe('50');
    expect(psql(cluster.url, 'SHOW listen_addresses')).toBe('127.0.0.1');
  });

  test('createDatabase makes a database that can be used, and refuses a name that is not an identifier', async () => {
    const url = await cluster.createDatabase('orders_test');
    psql(url, 'CREATE TABLE t (id int primary key); INSERT INTO t VALUES (7)');
    expect(psql(url, 'SELECT id FROM t')).toBe('7');
    await expect(cluster.createDatabase('x; DROP')).rejects.toThrow(/not a plain lowercase identifier/);
  });

  test('stop() shuts the server down and removes its folder; a second stop is harmless', async () => {
    const other = await startPostgres();
    try {
      expect(existsSync(other.dataDir)).toBe(true);
    } finally {
      await other.stop();
    }
    expect(existsSync(other.dataDir)).toBe(false);
    expect(() => psql(other.url, 'SELECT 1')).toThrow();
    await other.stop();
  }, 60000);

  test('a missing server installation is one line saying how to install it', () => {
    const nowhere = join(cluster.dataDir, 'nowhere');
    expect(() => findPostgresBin({ PATH: nowhere, MINIPAY_PG_BIN: nowhere }, nowhere)).toThrow(
      /^no PostgreSQL server programs \(initdb, pg_ctl\) found: install PostgreSQL .*MINIPAY_PG_BIN/,
    );
    expect(findPostgresBin({ PATH: nowhere, MINIPAY_PG_BIN: findPostgresBin() }, nowhere)).toBe(findPostgresBin());
  });
});
