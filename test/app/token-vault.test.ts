/**
 * Instagram tokens shared by several instances on one database (issue 8 §3):
 * two instances are two stores on one database, each with its own vault and
 * its own real Instagram driver, against the fake Graph API.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTokenVault } from '../../src/app/token-vault';
import type { Channel } from '../../src/channels/channel';
import { fingerprintToken, tokenFilePath, writeTokenState } from '../../src/channels/instagram/token-store';
import type { TokenVault } from '../../src/channels/token-vault';
import { createLogger, createSilentLogger } from '../../src/logger';
import { registerInstance } from '../../src/store/instances';
import type { Store } from '../../src/store/open';
import { SQLITE_FILE } from '../../src/store/open';
import { TOKEN_KEY_FILE } from '../../src/store/token-key';
import { SECRET_TOKEN, startInstagramWorld, type InstagramWorld } from '../fakes/instagram/instagram-setup';
import { DIALECTS, useTestStore } from '../support/databases';

const KEY = 'a1'.repeat(32);
const OTHER_KEY = 'b2'.repeat(32);
const DAY = 86_400_000;

describe.each(DIALECTS)('app/token-vault (%s)', (dialect) => {
  const db = useTestStore(dialect);
  let world: InstagramWorld;
  let logLines: string[];
  const dirs: string[] = [];

  beforeEach(async () => {
    world = await startInstagramWorld({ start: '2026-11-01T00:00:00Z' });
    logLines = [];
  });
  afterEach(async () => {
    // No token in any log line, whatever the test did.
    const tokens = [SECRET_TOKEN, ...world.fake.requests.map((r) => r.token).filter((t): t is string => t !== null)];
    for (const token of tokens) expect([...logLines, ...world.logLines].join('\n')).not.toContain(token);
    await world.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** SQLite: one machine, so both instances share the data directory; PostgreSQL: each its own. */
  const dataDirFor = (): string => {
    if (dialect === 'sqlite') return db.database.dataDir!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-vault-'));
    dirs.push(dir);
    return dir;
  };
  /** SQLite runs without any new variable (the key file); PostgreSQL needs the shared key. */
  const defaultEnv = (): Record<string, string> => (dialect === 'postgres' ? { HERALD_TOKEN_KEY: KEY } : {});

  interface Instance {
    store: Store;
    vault: TokenVault;
    channel: Channel;
  }
  /**
   * An instance: its own store on the database. On SQLite, one store for all: one machine runs one
   * bot per data directory (the lock), and better-sqlite3 is synchronous, so a second connection
   * in this same process would block the first while it waits for the write lock.
   */
  async function instance(name: string, options: { store?: Store; env?: Record<string, string>; envToken?: string } = {}): Promise<Instance> {
    const store = options.store ?? (dialect === 'sqlite' ? db.store : await db.open());
    // Alive, as a running bot is: its claims are not taken over.
    await registerInstance(store, { id: name, pid: 1, host: name }, world.clock.now());
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
    const vault = createTokenVault({ store, env: options.env ?? defaultEnv(), dataDir: dataDirFor(), owner: name, logger });
    const env = { IG_ACCESS_TOKEN: options.envToken ?? SECRET_TOKEN };
    return { store, vault, channel: world.channel({ deps: { tokenVault: vault, env, logger } }) };
  }
  const publish = async (who: Instance, id: string): Promise<void> => {
    const card = await world.card(`${id}/card.jpg`);
    await who.channel.publish(world.request(id, `Halo ${id}`, [card]));
  };
  const publishTokens = (): (string | null)[] => world.fake.requests.filter((r) => r.route === 'POST /{ig-user-id}/media_publish').map((r) => r.token);
  const storedToken = async (who: Instance): Promise<string | null> => {
    const read = await who.vault.read('instagram', world.clock.now());
    return read.kind === 'stored' ? read.state.token : null;
  };

  it('refreshes once for both instances; each publishes with the refreshed token read from the database', async () => {
    const a = await instance('a', { store: db.store });
    const b = await instance('b');
    await Promise.all([a.channel.verify!(world.clock.now()), b.channel.verify!(world.clock.now())]);
    expect(world.fake.refreshes).toEqual([]);

    // A day later both check the account at the same moment: one refresh, for both.
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    const reports = await Promise.all([a.channel.verify!(world.clock.now()), b.channel.verify!(world.clock.now())]);
    expect(world.fake.refreshes).toHaveLength(1);
    const refreshed = await storedToken(a);
    expect(refreshed).toMatch(/^IGAAfake/);
    expect(await storedToken(b)).toBe(refreshed);
    expect(reports.flatMap((r) => r.details).filter((d) => d === 'access token refreshed')).toHaveLength(1);

    // Both publish with it; nobody refreshes again.
    world.clock.set(new Date('2026-11-02T00:05:00Z'));
    await publish(a, 'p-a');
    await publish(b, 'p-b');
    expect(publishTokens()).toEqual([refreshed, refreshed]);
    expect(world.fake.refreshes).toHaveLength(1);
    expect(world.fake.published).toHaveLength(2);
  });

  it('an instance holding the old token in its short cache re-reads the database when Instagram refuses it', async () => {
    const a = await instance('a', { store: db.store });
    const b = await instance('b');
    await a.channel.verify!(world.clock.now()); // the .env token is first seen now
    world.clock.set(new Date('2026-11-01T23:59:50Z'));
    await b.channel.verify!(world.clock.now()); // not due yet: b caches the .env token
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    await publish(a, 'p-a'); // a refreshes before publishing
    expect(world.fake.refreshes).toHaveLength(1);
    const refreshed = await storedToken(a);
    expect(publishTokens()).toEqual([refreshed]);
    // The platform no longer takes the old token (as after a revocation).
    world.fake.revokeToken(SECRET_TOKEN);

    // Reconciliation on b reads the account back, within b's cache time: refused, read again, sent again.
    world.clock.set(new Date('2026-11-02T00:00:05Z'));
    const before = world.fake.requests.length;
    const posts = await b.channel.readBack(new Date('2026-11-01T00:00:00Z'));
    expect(posts.map((p) => p.text)).toEqual(['Halo p-a']);
    const bCalls = world.fake.requests.slice(before);
    expect(bCalls.map((r) => r.token)).toEqual([SECRET_TOKEN, refreshed]);
    expect(world.fake.refreshes).toHaveLength(1);
  });

  it('keeps only sealed bytes in the database: no token in the clear, in any column or file', async () => {
    const a = await instance('a', { store: db.store });
    await a.channel.verify!(world.clock.now());
    // A .env token is not copied into the database at all.
    const envRow = await db.store.db.selectFrom('channel_tokens').selectAll().executeTakeFirstOrThrow();
    expect(envRow).toMatchObject({ channel_id: 'instagram', source: 'env', token_sealed: null, env_fingerprint: fingerprintToken(SECRET_TOKEN) });

    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    await a.channel.verify!(world.clock.now());
    const refreshed = (await storedToken(a))!;
    expect(refreshed).toMatch(/^IGAAfake/);
    const row = await db.store.db.selectFrom('channel_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.source).toBe('refreshed');
    expect(row.token_sealed).toMatch(/^v1\.[0-9a-f]{12}\.[A-Za-z0-9_-]+$/);
    const everything = JSON.stringify(await db.store.db.selectFrom('channel_tokens').selectAll().execute());
    for (const token of [refreshed, SECRET_TOKEN]) {
      for (const form of [token, Buffer.from(token).toString('base64'), Buffer.from(token).toString('base64url'), Buffer.from(token).toString('hex')]) expect(everything).not.toContain(form);
    }
    if (dialect === 'sqlite') {
      // The ledger file itself (and its write-ahead log), byte for byte.
      const dir = db.database.dataDir!;
      for (const file of [SQLITE_FILE, `${SQLITE_FILE}-wal`].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f))) {
        expect(fs.readFileSync(file).includes(Buffer.from(refreshed))).toBe(false);
      }
      // The key sits beside it, readable by the bot's user only; no tokens/ file any more.
      expect((fs.statSync(path.join(dir, TOKEN_KEY_FILE)).mode & 0o777).toString(8)).toBe('600');
      expect(fs.existsSync(tokenFilePath(dir, 'instagram'))).toBe(false);
    }
  });

  it('a wrong key is reported with what to do; that instance publishes with the .env token and leaves the stored one alone', async () => {
    const a = await instance('a', { store: db.store });
    await a.channel.verify!(world.clock.now());
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    await a.channel.verify!(world.clock.now());
    const refreshed = await storedToken(a);
    expect(refreshed).toMatch(/^IGAAfake/);
    const sealedBefore = (await db.store.db.selectFrom('channel_tokens').select('token_sealed').executeTakeFirstOrThrow()).token_sealed;

    // PostgreSQL: an instance given another HERALD_TOKEN_KEY. SQLite: the key file next to the ledger replaced (a restore without it).
    const keyFile = path.join(dataDirFor(), TOKEN_KEY_FILE);
    const rightKeyFile = dialect === 'sqlite' ? fs.readFileSync(keyFile) : null;
    if (dialect === 'sqlite') fs.writeFileSync(keyFile, `${OTHER_KEY}\n`);
    const wrong = await instance('c', dialect === 'postgres' ? { env: { HERALD_TOKEN_KEY: OTHER_KEY } } : {});
    const report = await wrong.channel.verify!(world.clock.now());
    expect(report.account).toBe('@kanimpontianak');
    const warning = report.problems.find((p) => p.message.includes('cannot be used'));
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/^channel instagram: the stored Instagram token cannot be used: it was encrypted with another key \(key id [0-9a-f]{12}; this instance's key is [0-9a-f]{12}\): /);
    expect(warning?.message).toContain(dialect === 'postgres' ? 'give every instance the same HERALD_TOKEN_KEY' : `${TOKEN_KEY_FILE}: put back the one that was beside this database`);
    expect(warning?.message).toContain('or put a fresh token in .env as IG_ACCESS_TOKEN and restart');
    expect(logLines.some((line) => line.includes('the stored Instagram token cannot be used'))).toBe(true);

    await publish(wrong, 'p-c');
    expect(publishTokens()).toEqual([SECRET_TOKEN]);
    expect(world.fake.refreshes).toHaveLength(1);
    // The row is untouched: instances with the right key keep the refreshed token.
    expect((await db.store.db.selectFrom('channel_tokens').select('token_sealed').executeTakeFirstOrThrow()).token_sealed).toBe(sealedBefore);
    if (rightKeyFile) fs.writeFileSync(keyFile, rightKeyFile);
    expect(await storedToken(await instance('a2'))).toBe(refreshed);
  });

  it('a NEW token in .env wins over the stored refreshed one; an instance still holding the old .env does not undo it', async () => {
    const a = await instance('a', { store: db.store });
    await a.channel.verify!(world.clock.now());
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    await a.channel.verify!(world.clock.now());
    expect(world.fake.refreshes).toHaveLength(1);

    // Staff put a new token in the .env of one machine and restarted its bot.
    const NEW = 'IGAAnewFromStaff-77c1-do-not-leak';
    world.fake.addToken(NEW);
    const renewed = await instance('a-restarted', { envToken: NEW });
    await publish(renewed, 'p-new');
    expect(publishTokens()).toEqual([NEW]);
    const row = await db.store.db.selectFrom('channel_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'env', env_fingerprint: fingerprintToken(NEW), token_sealed: null });
    expect(JSON.parse(row.retired_fingerprints)).toEqual([fingerprintToken(SECRET_TOKEN)]);

    // The other machine still has the old .env: it keeps its own token and says so, and the new state stays.
    const stale = await instance('b', { envToken: SECRET_TOKEN });
    const report = await stale.channel.verify!(world.clock.now());
    expect(report.problems.map((p) => p.message)).toContain(
      "channel instagram: the token in this instance's .env (IG_ACCESS_TOKEN) is older than the one another instance stored; the stored one is used. Put the current token in this instance's .env",
    );
    expect((await db.store.db.selectFrom('channel_tokens').select('env_fingerprint').executeTakeFirstOrThrow()).env_fingerprint).toBe(fingerprintToken(NEW));
  });

  it('moves a refreshed token a previous version kept in tokens/ into the database, and deletes the file', async () => {
    const dataDir = dataDirFor();
    const file = tokenFilePath(dataDir, 'instagram');
    const legacy = 'IGAAlegacyRefreshed-31d0-do-not-leak';
    world.fake.addToken(legacy);
    writeTokenState(file, { token: legacy, obtainedAt: new Date('2026-10-20T00:00:00Z'), expiresAt: new Date('2026-12-19T00:00:00Z'), source: 'refreshed', envFingerprint: fingerprintToken(SECRET_TOKEN) });
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
    const vault = createTokenVault({ store: db.store, env: defaultEnv(), dataDir, owner: 'a', logger });
    const channel = world.channel({ deps: { tokenVault: vault, logger } });

    const report = await channel.verify!(world.clock.now());
    expect(report.tokenExpiresAt).toEqual(new Date('2026-12-19T00:00:00Z'));
    expect(world.fake.requests.every((r) => r.token === legacy)).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    const row = await db.store.db.selectFrom('channel_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'refreshed', obtained_at: expect.anything() });
    expect(Number(row.obtained_at)).toBe(new Date('2026-10-20T00:00:00Z').getTime());
    expect(JSON.stringify(row)).not.toContain(legacy);
  });

  it('refuses a malformed HERALD_TOKEN_KEY at start, naming the fix and not the value', async () => {
    const malformed = 'not-hex-and-too-short';
    expect(() => createTokenVault({ store: db.store, env: { HERALD_TOKEN_KEY: malformed }, dataDir: dataDirFor(), owner: 'a', logger: createSilentLogger() })).toThrow(
      'HERALD_TOKEN_KEY must be at least 64 hex characters (32 random bytes): create one with `openssl rand -hex 32` and give every instance the same value',
    );
  });

  it('a failed refresh is given up, so the next instance that asks tries again', async () => {
    const a = await instance('a', { store: db.store });
    const b = await instance('b');
    await a.channel.verify!(world.clock.now());
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    world.fake.faults.push({ route: 'GET /refresh_access_token', status: 500, body: { error: { code: 2, message: 'unavailable' } } });
    const first = await a.channel.verify!(world.clock.now());
    expect(first.problems.map((p) => p.message)).toContain('the Instagram token could not be refreshed (HTTP 500, Graph code 2); it stays in use until it expires');
    const second = await b.channel.verify!(new Date(world.clock.now().getTime() + 1000));
    expect(second.details).toContain('access token refreshed');
    expect(world.fake.refreshes).toHaveLength(1);
    expect(await storedToken(a)).toMatch(/^IGAAfake/);
  });

  if (dialect === 'postgres') {
    it('without HERALD_TOKEN_KEY each instance keeps its own tokens/ file, and a warning says what to set', async () => {
      const a = await instance('a', { store: db.store, env: {} });
      await a.channel.verify!(world.clock.now());
      expect(logLines.some((line) => line.includes('HERALD_TOKEN_KEY is not set: with PostgreSQL, refreshed Instagram tokens stay in each instance'))).toBe(true);
      expect(await db.store.db.selectFrom('channel_tokens').selectAll().execute()).toEqual([]);
      expect(a.vault.where).toMatch(/tokens\/$/);
    });
  }

  it('the token is refreshed again a month later, once', async () => {
    const a = await instance('a', { store: db.store });
    const b = await instance('b');
    await a.channel.verify!(world.clock.now());
    world.clock.set(new Date('2026-11-02T00:00:01Z'));
    await a.channel.verify!(world.clock.now());
    // 60-day tokens are refreshed once 30 days or fewer are left.
    world.clock.set(new Date(new Date('2026-11-02T00:00:01Z').getTime() + 31 * DAY));
    await Promise.all([a.channel.verify!(world.clock.now()), b.channel.verify!(world.clock.now())]);
    expect(world.fake.refreshes).toHaveLength(2);
  });
});
