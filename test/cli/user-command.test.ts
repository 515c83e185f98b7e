/**
 * `user add` and `serve` through the CLI's main(), in process: the password
 * comes from stdin (one line), the user lands in the store with a scrypt hash
 * that signs in to the console `serve` starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import { resolveContext } from '../../src/cli/context';
import { serveCommand } from '../../src/cli/serve-command';
import { systemClock } from '../../src/clock';
import { openStore } from '../../src/store/open';
import { findUserForLogin } from '../../src/store/users';
import { verifyPassword } from '../../src/web/password';
import { REPO_ROOT } from '../support/cli';
import { setSampleWebPort } from '../support/sample-config';

const PASSWORD = 'dua belas huruf lebih';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function workspace(): { config: string; data: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-user-cli-'));
  dirs.push(root);
  const config = path.join(root, 'config');
  fs.cpSync(path.join(REPO_ROOT, 'config'), config, { recursive: true });
  setSampleWebPort(path.join(config, 'herald.yaml'), 0);
  return { config, data: path.join(root, 'data') };
}

function sink(): Writable & { text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

async function userAdd(ws: { config: string; data: string }, args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(['node', 'quota-herald', '--config', ws.config, '--data', ws.data, 'user', 'add', ...args], {
    cwd: REPO_ROOT,
    env: {},
    stdout,
    stderr,
    stdin: Readable.from([stdin]),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('cli: user add, serve', () => {
  it('creates a global admin and an office user from a password on stdin; usage errors exit 2 and create nothing', async () => {
    const ws = workspace();
    const root = await userAdd(ws, ['Root', '--role', 'admin'], `${PASSWORD}\nignored second line\n`);
    expect(root).toMatchObject({ code: 0, stdout: 'user root created: admin of every office\n' });
    expect((await userAdd(ws, ['ani', '--role', 'editor', '--office', 'kanim-pontianak'], `${PASSWORD}\n`)).stdout).toBe('user ani created: editor of office kanim-pontianak\n');

    const refused = [
      await userAdd(ws, ['budi', '--role', 'editor', '--office', 'kanim-atlantis'], `${PASSWORD}\n`),
      await userAdd(ws, ['budi', '--role', 'boss', '--office', 'kanim-pontianak'], `${PASSWORD}\n`),
      await userAdd(ws, ['budi', '--role', 'viewer'], `${PASSWORD}\n`),
      await userAdd(ws, ['budi', '--role', 'viewer', '--office', 'kanim-pontianak'], 'too short\n'),
      await userAdd(ws, ['budi', '--role', 'viewer', '--office', 'kanim-pontianak'], ''),
      await userAdd(ws, ['ANI', '--role', 'viewer', '--office', 'kanim-pontianak'], `${PASSWORD}\n`),
      await userAdd(ws, ['bad name!', '--role', 'viewer', '--office', 'kanim-pontianak'], `${PASSWORD}\n`),
    ];
    expect(refused.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(refused.map((r) => r.stderr.trim())).toEqual([
      'error: unknown office "kanim-atlantis": use one of kanim-pontianak',
      'error: unknown role "boss": use one of admin, editor, approver, viewer',
      'error: --office ID is needed for the role viewer (only an admin may be without an office: an admin of every office)',
      'error: the password is too short: use at least 12 characters (a few words are easy to remember); nothing was created',
      'error: the password is empty; nothing was created',
      'error: there is already a user named "ani"; pick another name',
      'error: "bad name!" is not a user name: use letters, digits and . _ @ - (e.g. ani.siregar), up to 100 characters',
    ]);
    for (const r of [root, ...refused]) expect(r.stdout + r.stderr).not.toContain(PASSWORD);

    const store = await openStore({ dataDir: ws.data });
    try {
      const ani = await findUserForLogin(store, 'ani');
      expect([...ani!.user.roles]).toEqual([['kanim-pontianak', 'editor']]);
      expect(ani!.passwordHash).toMatch(/^scrypt\$/);
      expect(await verifyPassword(PASSWORD, ani!.passwordHash)).toBe(true);
      expect((await findUserForLogin(store, 'root'))!.user.globalAdmin).toBe(true);
      expect(await findUserForLogin(store, 'budi')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('serve listens on settings.web and the new user signs in; it stops on its signal', async () => {
    const ws = workspace();
    expect((await userAdd(ws, ['ani', '--role', 'viewer', '--office', 'kanim-pontianak'], `${PASSWORD}\n`)).code).toBe(0);
    const ctx = resolveContext({ config: ws.config, data: ws.data }, { clock: systemClock, env: { LOG_LEVEL: 'silent' }, stdout: sink(), stderr: sink(), cwd: REPO_ROOT });
    const stop = new AbortController();
    let address = '';
    const serving = serveCommand(ctx, { signal: stop.signal, onListening: (listening) => (address = listening) });
    try {
      while (!address) await new Promise((resolve) => setImmediate(resolve));
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${address}/healthz`)).json()).toEqual({ status: 'ok' });
      const form = await fetch(`${address}/admin/login`);
      const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const signIn = await fetch(`${address}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, name: 'ani', password: PASSWORD }).toString(),
      });
      expect([signIn.status, signIn.headers.get('location')]).toEqual([303, '/admin/']);
      const session = signIn.headers.getSetCookie().find((c) => c.startsWith('qh_session='))!.split(';')[0]!;
      const home = await fetch(`${address}/admin/`, { headers: { cookie: session } });
      expect(await home.text()).toContain('Kantor Imigrasi Kelas I TPI Pontianak');
    } finally {
      stop.abort();
      expect(await serving).toBe(0);
    }
  });
});
